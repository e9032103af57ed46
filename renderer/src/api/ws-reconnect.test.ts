import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { onNewToken, wsUrlFor } from "./browser-session.js";
import { createWsApi, type WebSocketLike, type WsApi } from "./ws-api.js";

// A pasted launch link changes only the fragment (no reload): the tab must connect with the new token at once.
const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
const appInfo = { version: "0.1.0", shell: "browser", dataDir: "/tmp/x", canPickFiles: false, gpu: "none", totalRamBytes: 1 };

/** A server that, like serve.ts, refuses any socket without its per-launch token. */
async function startServer(token: string) {
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    verifyClient: ({ req }: { req: { url?: string } }) => new URL(req.url ?? "/", "http://x").searchParams.get("token") === token,
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      const { id } = JSON.parse(String(data)) as { id: number };
      socket.send(JSON.stringify({ id, result: { ok: true, value: appInfo } }));
    });
  });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
  return { port: (server.address() as AddressInfo).port, close };
}

function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error("timed out"));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe("a new launch link in an open tab", () => {
  it("reconnects at once with the new token, without waiting for the backoff", async () => {
    const server = await startServer("new-token");
    cleanups.push(server.close);
    const location = { host: `127.0.0.1:${server.port}`, protocol: "http:" };
    // A long backoff: only reconnect() can bring the connection back within the test.
    const api: WsApi = createWsApi(wsUrlFor(location, "old-token"), { createSocket, retryDelayMs: 60_000 });
    cleanups.push(() => api.close());
    await waitFor(() => api.connection.status() === "disconnected");

    api.reconnect(wsUrlFor(location, "new-token"));
    await waitFor(() => api.connection.status() === "connected", 2_000);
    expect(await api.getAppInfo({})).toMatchObject({ version: "0.1.0" });
  });

  it("hands over a token from a changed fragment, stores it and clears it from the address bar", () => {
    const listeners = new Map<string, () => void>();
    const target = {
      addEventListener: (type: string, listener: () => void) => void listeners.set(type, listener),
      removeEventListener: (type: string) => void listeners.delete(type),
    } as unknown as Window;
    const location = { hash: "", host: "127.0.0.1:4321", protocol: "http:", pathname: "/", search: "" };
    const storage = memoryStorage();
    const replaced: string[] = [];
    const tokens: string[] = [];
    const stop = onNewToken(target, location, storage, (url) => replaced.push(url), (token) => tokens.push(token));

    location.hash = "#search";
    listeners.get("hashchange")?.();
    expect(tokens).toEqual([]);

    location.hash = "#token=fresh123";
    listeners.get("hashchange")?.();
    expect(tokens).toEqual(["fresh123"]);
    expect(storage.getItem("hearth.token")).toBe("fresh123");
    expect(replaced).toEqual(["/"]);

    stop();
    expect(listeners.has("hashchange")).toBe(false);
  });
});
