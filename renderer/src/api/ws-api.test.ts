import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { AppError, methodNames, eventNames, type ChatEvent } from "./contract.js";
import { takeToken, wsUrlFor } from "./browser-session.js";
import { createWsApi, isConnectionLost, type WebSocketLike, type WsApi } from "./ws-api.js";

// A loopback server speaking the real protocol; `ws` stands in for the browser's WebSocket under Node 20.
const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

type Handler = (method: string, input: unknown) => unknown;

async function startServer(handle: Handler, port = 0) {
  const server = new WebSocketServer({ host: "127.0.0.1", port });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      const { id, method, input } = JSON.parse(String(data)) as { id: number; method: string; input: unknown };
      const result = handle(method, input);
      socket.send(JSON.stringify({ id, result }));
    });
  });
  const broadcast = (event: string, payload: unknown) => {
    for (const client of server.clients) client.send(JSON.stringify({ event, payload }));
  };
  const close = () =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
  return { server, port: (server.address() as AddressInfo).port, broadcast, close };
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

const appInfo = { version: "0.1.0", shell: "browser", dataDir: "/tmp/x", canPickFiles: false, gpu: "none", totalRamBytes: 1 };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(api: WsApi): WsApi {
  cleanups.push(() => api.close());
  return api;
}

describe("createWsApi", () => {
  it("has one function per contract method and one subscribe per event", () => {
    const api = track(createWsApi("ws://127.0.0.1:1/api", { createSocket, retryDelayMs: 60_000 }));
    for (const method of methodNames) expect(typeof api[method]).toBe("function");
    for (const event of eventNames) expect(typeof api.subscribe[event]).toBe("function");
  });

  it("calls methods, validates results and throws AppError on failure", async () => {
    const srv = await startServer((method) => {
      if (method === "getAppInfo") return { ok: true, value: appInfo };
      if (method === "listModels") return { ok: true, value: [{ nonsense: true }] };
      return { ok: false, error: { code: "NOT_GGUF", message: "That file is not a GGUF model.", retryable: false } };
    });
    cleanups.push(srv.close);
    const api = track(createWsApi(`ws://127.0.0.1:${srv.port}/api`, { createSocket }));

    await expect(api.getAppInfo({})).resolves.toEqual(appInfo);
    const failure = await api.importModel({ path: "/tmp/a.txt" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "NOT_GGUF", message: "That file is not a GGUF model." });
    await expect(api.listModels({})).rejects.toMatchObject({ code: "INTERNAL" });
    expect(api.connection.status()).toBe("connected");
  });

  it("delivers valid events and drops malformed ones", async () => {
    const srv = await startServer(() => ({ ok: true, value: appInfo }));
    cleanups.push(srv.close);
    const api = track(createWsApi(`ws://127.0.0.1:${srv.port}/api`, { createSocket }));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const received: ChatEvent[] = [];
    const unsubscribe = api.subscribe.chat((event) => received.push(event));
    await api.getAppInfo({});

    srv.broadcast("chat", { type: "text-delta", conversationId: "c", messageId: "m", text: 42, seq: 1 });
    // Unnumbered: a chat event always carries its conversation's number (for catching up).
    srv.broadcast("chat", { type: "text-delta", conversationId: "c", messageId: "m", text: "no number" });
    srv.broadcast("chat", { type: "text-delta", conversationId: "c", messageId: "m", text: "hi", seq: 2 });
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({ type: "text-delta", conversationId: "c", messageId: "m", text: "hi", seq: 2 });

    unsubscribe();
    srv.broadcast("chat", { type: "text-delta", conversationId: "c", messageId: "m", text: "again", seq: 3 });
    await api.getAppInfo({});
    expect(received).toHaveLength(1);
  });

  it("reports disconnected, fails fast meanwhile, and reconnects when the server is back", async () => {
    const first = await startServer(() => ({ ok: true, value: appInfo }));
    const port = first.port;
    const api = track(createWsApi(`ws://127.0.0.1:${port}/api`, { createSocket, retryDelayMs: 50, maxRetryDelayMs: 200 }));
    const seen: string[] = [];
    api.connection.subscribe((status) => seen.push(status));
    await api.getAppInfo({});

    await first.close();
    await waitFor(() => api.connection.status() === "disconnected");
    const failure = await api.getAppInfo({}).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "INTERNAL", retryable: true });
    expect(isConnectionLost(failure)).toBe(true);

    const second = await startServer(() => ({ ok: true, value: appInfo }), port);
    cleanups.push(second.close);
    await waitFor(() => api.connection.status() === "connected");
    await expect(api.getAppInfo({})).resolves.toEqual(appInfo);
    expect(seen).toEqual(["connected", "disconnected", "connected"]);
  });

  it("sends a call again when the server answers BUSY (it did not run it), and shows BUSY if it stays busy", async () => {
    const busy = { ok: false, error: { code: "BUSY", message: "Hearth is busy. Try again in a moment.", retryable: true } };
    let calls = 0;
    const srv = await startServer((method) => {
      calls += 1;
      if (method === "getAppInfo") return calls < 3 ? busy : { ok: true, value: appInfo };
      return busy;
    });
    cleanups.push(srv.close);
    const api = track(createWsApi(`ws://127.0.0.1:${srv.port}/api`, { createSocket }));
    await expect(api.getAppInfo({})).resolves.toEqual(appInfo);
    expect(calls).toBe(3);

    calls = 0;
    const failure = await api.listModels({}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "BUSY", retryable: true, message: "Hearth is busy. Try again in a moment." });
    expect(calls).toBe(4); // the first try and three more
  });

  it("refuses a request over the frame limit before sending it, so the connection stays up", async () => {
    let calls = 0;
    const srv = await startServer(() => {
      calls += 1;
      return { ok: true, value: appInfo };
    });
    cleanups.push(srv.close);
    const api = track(createWsApi(`ws://127.0.0.1:${srv.port}/api`, { createSocket }));
    await api.getAppInfo({});
    const huge = "\u4e2d".repeat(6 * 1024 * 1024); // 18 MB in UTF-8
    const failure = await api.sendMessage({ conversationId: "c", text: huge }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("too large to send") });
    await expect(api.getAppInfo({})).resolves.toEqual(appInfo);
    expect(calls).toBe(2);
    expect(api.connection.status()).toBe("connected");
  });

  it("says why when the server closes the connection for a request it could not take", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    server.on("connection", (socket) => socket.on("message", () => socket.close(1009, "too big")));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const api = track(createWsApi(`ws://127.0.0.1:${port}/api`, { createSocket, retryDelayMs: 60_000 }));
    const failure = await api.getAppInfo({}).catch((e: unknown) => e);
    expect(isConnectionLost(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "INTERNAL", retryable: true, message: expect.stringContaining("too large") });
  });
});

describe("browser session", () => {
  function memoryStorage() {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
  }
  const location = { host: "127.0.0.1:4321", protocol: "http:", pathname: "/", search: "" };

  it("takes the token from the fragment, keeps it, and clears the fragment", () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    expect(takeToken({ ...location, hash: "#token=abc123" }, storage, (u) => replaced.push(u))).toBe("abc123");
    expect(replaced).toEqual(["/"]);
    // After a reload the fragment is gone; the session still has the token.
    expect(takeToken({ ...location, hash: "" }, storage)).toBe("abc123");
    expect(takeToken({ ...location, hash: "" }, memoryStorage())).toBeNull();
  });

  it("builds the WebSocket URL on the page's host", () => {
    expect(wsUrlFor(location, "a b")).toBe("ws://127.0.0.1:4321/api?token=a%20b");
  });
});
