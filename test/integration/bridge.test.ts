import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startBridge, type Bridge } from "../../electron/bridge/bridge-server.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { tempDir } from "../fixtures/paths.js";

let core: CoreInternals;
let bridge: Bridge;
let staticDir: string;

beforeAll(async () => {
  const dir = tempDir();
  staticDir = path.join(dir, "static");
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, "index.html"), "<!doctype html><title>Hearth</title>");
  fs.writeFileSync(path.join(dir, "secret.txt"), "outside the static folder");
  core = await createCore({ dataDir: path.join(dir, "data"), shell: "browser", threads: 1 });
  bridge = await startBridge({ core, staticDir });
});

afterAll(async () => {
  await bridge.close();
  await core.dispose();
});

function connect(options: { token?: string; origin?: string; host?: string }): Promise<WebSocket> {
  const origin = options.origin ?? `http://127.0.0.1:${bridge.port}`;
  const url = `ws://127.0.0.1:${bridge.port}/api?token=${encodeURIComponent(options.token ?? bridge.token)}`;
  const ws = new WebSocket(url, { origin, headers: options.host ? { host: options.host } : {} });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

function request(ws: WebSocket, id: number, method: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { id?: number };
      if (message.id === id) {
        ws.off("message", onMessage);
        resolve(message);
      }
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

describe("browser-mode bridge", () => {
  it("listens on 127.0.0.1 only and prints a URL with the token in the fragment", () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
  });

  it("answers contract calls and pushes events to a client with the token and our Origin", async () => {
    const ws = await connect({});
    const events: unknown[] = [];
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { event?: string };
      if (message.event) events.push(message);
    });
    expect(await request(ws, 1, "listModels", {})).toEqual({ id: 1, result: { ok: true, value: [] } });
    const created = (await request(ws, 2, "createConversation", {})) as { result: { ok: boolean } };
    expect(created.result.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toContainEqual(expect.objectContaining({ event: "conversations" }));
    expect(await request(ws, 3, "sendMessage", { conversationId: 5 })).toMatchObject({
      result: { ok: false, error: { code: "INVALID_INPUT" } },
    });
    ws.close();
  });

  it("refuses a connection without the right token", async () => {
    await expect(connect({ token: "wrong" })).rejects.toThrow("HTTP 401");
    await expect(connect({ token: "" })).rejects.toThrow("HTTP 401");
  });

  it("refuses a connection from another Origin (a web page the user visits)", async () => {
    await expect(connect({ origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    await expect(connect({ origin: "http://127.0.0.1:1" })).rejects.toThrow("HTTP 403");
  });

  it("refuses a request whose Host is not ours (DNS rebinding)", async () => {
    await expect(connect({ host: `evil.example:${bridge.port}` })).rejects.toThrow("HTTP 421");
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port: bridge.port, path: "/", headers: { host: "evil.example" } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on("error", reject);
    });
    expect(status).toBe(421);
  });

  it("closes the socket on a malformed message", async () => {
    const ws = await connect({});
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send("not json");
    expect(await closed).toBe(1008);
  });

  it("serves the app with a strict CSP and nothing outside its folder", async () => {
    const res = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const traversal = await fetch(`http://127.0.0.1:${bridge.port}/..%2fsecret.txt`);
    expect(traversal.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${bridge.port}/`, { method: "POST" })).status).toBe(405);
  });
});
