import net from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppErrorCode, ProviderKind } from "../../electron/contract/index.js";
import { AppError } from "../../electron/contract/index.js";
import { streamCloudChat } from "../../electron/core/cloud/cloud-chat.js";
import { createCloudHarness, wireOf, type CloudHarness } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderFault, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";

const kinds: ProviderKind[] = ["openai", "openai-compatible", "anthropic", "gemini"];

type Case = { name: string; fault: FakeProviderFault | null; wrongKey?: boolean; code: AppErrorCode; message: RegExp; retryable: boolean; audit: RegExp };

const matrix: Case[] = [
  { name: "a refused key", fault: null, wrongKey: true, code: "PROVIDER_AUTH", message: /did not accept the API key \(HTTP 40[01]\)/, retryable: false, audit: /^HTTP 40[01] (Unauthorized|Bad Request)$/ },
  { name: "401 fault", fault: { kind: "auth" }, code: "PROVIDER_AUTH", message: /did not accept the API key/, retryable: false, audit: /^HTTP 40[01] / },
  { name: "429 with retry-after", fault: { kind: "rate-limit", retryAfterSeconds: 17 }, code: "PROVIDER_RATE_LIMIT", message: /limiting requests.*HTTP 429.*17 s/, retryable: true, audit: /^HTTP 429 Too Many Requests$/ },
  { name: "500", fault: { kind: "server" }, code: "PROVIDER_HTTP", message: /server error \(HTTP 500\)/, retryable: true, audit: /^HTTP 500 Internal Server Error$/ },
  { name: "a stalled stream", fault: { kind: "stall" }, code: "PROVIDER_TIMEOUT", message: /stopped answering for 400 ms/, retryable: true, audit: /stopped answering for 400 ms/ },
  { name: "a malformed chunk", fault: { kind: "malformed" }, code: "PROVIDER_STREAM", message: /could not read \(malformed stream data\)/, retryable: true, audit: /malformed stream data/ },
  { name: "a connection reset", fault: { kind: "reset" }, code: "NETWORK", message: /lost mid-answer: the connection was reset/, retryable: true, audit: /^Connection lost \(ECONNRESET\)$/ },
];

/** Everything written to the console or stderr while a test runs, to search for the key. */
function captureLogs(): { text: () => string; restore: () => void } {
  const lines: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack} ${JSON.stringify(a)}` : String(a))).join(" "));
    }),
  );
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return {
    text: () => lines.join("\n"),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
      process.stderr.write = write;
    },
  };
}

describe.each(kinds)("%s fault matrix", (kind) => {
  const key = `sk-${kind}-SECRETkey0123456789abcdefXYZ`;
  let server: FakeProviderServer;
  let h: CloudHarness;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: wireOf(kind), apiKey: key });
    h = createCloudHarness();
  });
  afterAll(async () => {
    await server.close();
    h.close();
  });
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => {
    logs.restore();
    server.setFault(null);
  });

  const chat = (apiKey: string, overrides: { signal?: AbortSignal; port?: number } = {}) => {
    const baseUrl = overrides.port ? `http://127.0.0.1:${overrides.port}${new URL(server.baseUrl).pathname}` : server.baseUrl;
    const provider = h.providers.save({ kind, name: "Acme Cloud", baseUrl, model: "m-1", apiKey });
    const deltas: string[] = [];
    return {
      deltas,
      promise: streamCloudChat({
        provider,
        apiKey,
        payload: [{ role: "user", content: "hello" }],
        temperature: 0.5,
        maxOutputTokens: null,
        signal: overrides.signal ?? new AbortController().signal,
        fetch: h.chatFetch(provider),
        onTextDelta: (text) => deltas.push(text),
        stallTimeoutMs: 400,
      }),
    };
  };

  it.each(matrix)("$name → $code", async ({ fault, wrongKey, code, message, retryable, audit }) => {
    server.setFault(fault);
    const before = server.requests.length;
    const error = await chat(wrongKey ? "sk-wrong-0123456789abcdefghijKLMN" : key).promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect({ code: appError.code, retryable: appError.retryable }).toEqual({ code, retryable });
    expect(appError.message).toMatch(message);
    expect(appError.message).toMatch(/^[^\n]{10,300}$/);
    // No retry for fast failover: exactly one request per attempt.
    expect(server.requests.length - before).toBe(1);

    const entry = h.audit.list({ limit: 1 })[0]!;
    expect(entry.outcome).toBe("error");
    expect(entry.error).toMatch(audit);
    expect(entry.durationMs).not.toBeNull();
    expect(entry.payload).toBe(server.requests.at(-1)!.body);

    for (const secret of [key, "sk-wrong-0123456789abcdefghijKLMN"]) {
      expect(appError.message).not.toContain(secret);
      expect(JSON.stringify(appError.toJSON())).not.toContain(secret);
      expect(logs.text()).not.toContain(secret);
      expect(JSON.stringify(h.audit.list({}))).not.toContain(secret);
    }
  });

  it("a refused connection → NETWORK", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await chat(key, { port }).promise.catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("NETWORK");
    expect(error.message).toBe("Could not reach Acme Cloud: the connection was refused.");
    expect(h.audit.list({ limit: 1 })[0]).toMatchObject({ outcome: "error", error: "Connection failed (ECONNREFUSED)" });
  });

  it("a redirect is not followed: the payload never reaches the other host", async () => {
    const elsewhere = await startFakeProvider({ wire: wireOf(kind) });
    try {
      server.setFault({ kind: "redirect", location: `${elsewhere.baseUrl}/steal` });
      const error = (await chat(key).promise.catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe("PROVIDER_HTTP");
      expect(error.message).toMatch(/redirect \(HTTP 307\)/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("Stop → ABORTED, audited as aborted", async () => {
    server.setFault({ kind: "stall" });
    const controller = new AbortController();
    const run = chat(key, { signal: controller.signal });
    const before = server.requests.length;
    await vi.waitFor(() => expect(server.requests.length).toBe(before + 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = (await run.promise.catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("ABORTED");
    expect(h.audit.list({ limit: 1 })[0]).toMatchObject({ outcome: "aborted", error: null });
  });
});
