/**
 * A loopback server that speaks one provider's real streaming wire format, for offline tests of the cloud path.
 *
 *   const server = await startFakeProvider({ wire: "anthropic", apiKey: "sk-ant-test", reply: "Hello there" });
 *   server.baseUrl;                 // "http://127.0.0.1:PORT/v1" - the provider's base URL
 *   server.setFault({ kind: "rate-limit", retryAfterSeconds: 7 });   // or null to clear
 *   server.requests;                // [{ method, path, headers (no auth), body (raw), json, auth }]
 *   await server.close();
 *
 * Faults: "auth" (401; Gemini's 400 API_KEY_INVALID), "rate-limit" (429 + retry-after), "server" (500),
 * "stall" (headers and one event, then silence), "malformed" (a broken event mid-stream), "reset" (one event, then
 * a TCP reset), "redirect" (307 to `location`). A configured `apiKey` that does not match also answers "auth".
 * Error bodies echo the key the server received, like some real services do, so tests can prove Hearth never shows it.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { wires, type WireName, type WireUsage } from "./wire-formats.js";

export type FakeProviderFault =
  | { kind: "auth" }
  | { kind: "rate-limit"; retryAfterSeconds?: number }
  | { kind: "server" }
  | { kind: "stall" }
  | { kind: "malformed" }
  | { kind: "reset" }
  | { kind: "redirect"; location: string };

export type FakeProviderRequest = {
  method: string;
  /** Path and query, as received. */
  path: string;
  /** Request headers, lower-case, without any that carry the key. */
  headers: Record<string, string>;
  /** The body exactly as received. */
  body: string;
  json: Record<string, unknown> | null;
  /** "missing": no key was sent; "unchecked": one was, and the server has none configured to compare. */
  auth: "ok" | "wrong" | "missing" | "unchecked";
  status: number;
};

export type FakeProviderOptions = {
  wire: WireName;
  /** When set, requests must carry this key. */
  apiKey?: string;
  reply?: string;
  usage?: WireUsage;
  fault?: FakeProviderFault | null;
  /** Pause between events, to let tests observe streaming. */
  eventDelayMs?: number;
};

export type FakeProviderServer = {
  url: string;
  baseUrl: string;
  requests: FakeProviderRequest[];
  setFault(fault: FakeProviderFault | null): void;
  setReply(reply: string): void;
  close(): Promise<void>;
};

const authHeaders = new Set(["authorization", "x-api-key", "x-goog-api-key", "api-key"]);

/** Splits text into small deltas the way a model streams it. */
export function toDeltas(text: string): string[] {
  return text.match(/\S*\s*/g)?.filter((part) => part.length > 0) ?? [text];
}

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProviderServer> {
  const wire = wires[options.wire];
  let fault = options.fault ?? null;
  let reply = options.reply ?? "Hello from the fake provider.";
  const usage = options.usage ?? { input: 12, output: 7 };
  const requests: FakeProviderRequest[] = [];
  const sockets = new Set<Socket>();
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://fake");
        const body = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = null;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (!authHeaders.has(name) && typeof value === "string") headers[name] = value;
        }
        const key = wire.readKey(req.headers, url);
        const auth = key === null ? "missing" : options.apiKey === undefined ? "unchecked" : key === options.apiKey ? "ok" : "wrong";
        const record: FakeProviderRequest = { method: req.method ?? "", path: req.url ?? "", headers, body, json, auth, status: 0 };
        requests.push(record);
        const answer = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
          record.status = status;
          res.writeHead(status, { "content-type": "application/json", ...extra });
          res.end(JSON.stringify(payload));
        };

        if (req.method !== "POST" || !wire.matches(url.pathname) || json === null) {
          answer(404, { error: { message: `No route for ${req.method} ${url.pathname}` } });
          return;
        }
        const refused = options.apiKey !== undefined && (auth === "wrong" || auth === "missing");
        const active = refused ? ({ kind: "auth" } as const) : fault;
        if (active?.kind === "auth" || active?.kind === "rate-limit" || active?.kind === "server") {
          const shaped = wire.error(active.kind, key ?? "(none)");
          const extra = active.kind === "rate-limit" ? { "retry-after": String(active.retryAfterSeconds ?? 7) } : undefined;
          answer(shaped.status, shaped.body, extra);
          return;
        }
        if (active?.kind === "redirect") {
          answer(307, { error: { message: "moved" } }, { location: active.location });
          return;
        }

        record.status = 200;
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
        const frames = wire.frames({ model: wire.modelOf(url.pathname, json), deltas: toDeltas(reply), usage, body: json });
        for (const [index, frame] of frames.entries()) {
          if (res.destroyed) return;
          res.write(frame);
          if (index === 0 && active?.kind === "stall") return; // silence, socket open, until close()
          if (index === 0 && active?.kind === "reset") {
            await delay(20);
            req.socket.resetAndDestroy();
            return;
          }
          if (index === 1 && active?.kind === "malformed") res.write(wire.malformedFrame);
          if (options.eventDelayMs) await delay(options.eventDelayMs);
        }
        res.end();
      })();
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}${wire.basePath}`,
    requests,
    setFault: (next) => {
      fault = next;
    },
    setReply: (next) => {
      reply = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
