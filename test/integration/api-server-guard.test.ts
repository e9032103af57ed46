import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiServerState } from "../../electron/contract/index.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";
import { activityCount, auth, openApiCore, rawRequest, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

const opened: ApiFixture[] = [];
async function open(options: Parameters<typeof openApiCore>[0] = {}) {
  const api = await openApiCore(options);
  opened.push(api);
  return api;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.core.dispose()));
});

const chatBody = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "Once" }], max_tokens: 8, ...extra });

describe("local API: what it refuses and how it holds up", () => {
  it("answers only on 127.0.0.1, and only to its own Host names (DNS rebinding)", async () => {
    const api = await open();
    expect(api.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const rebound = await rawRequest(api.port, { headers: { ...auth, host: `evil.example:${api.port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: "host_not_allowed", type: "invalid_request_error" } });
    const otherPort = await rawRequest(api.port, { headers: { ...auth, host: "localhost:1" } });
    expect(otherPort.status).toBe(403);
    const ok = await rawRequest(api.port, { headers: { ...auth, host: `localhost:${api.port}` } });
    expect(ok.status).toBe(200);
    // Not on any other interface.
    const server = (await call<ApiServerState>(api.core, "getApiServer", {})).url!;
    expect(new URL(server).hostname).toBe("127.0.0.1");
  });

  it("refuses CORS preflights and page requests unless the origin is allowed in Settings", async () => {
    const api = await open();
    const host = `127.0.0.1:${api.port}`;
    const preflight = { method: "OPTIONS", path: "/v1/chat/completions", headers: { host, origin: "http://localhost:3000", "access-control-request-method": "POST" } };
    const refused = await rawRequest(api.port, preflight);
    expect(refused.status).toBe(403);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    const page = await rawRequest(api.port, { headers: { ...auth, host, origin: "http://localhost:3000" } });
    expect(page.status).toBe(403);

    await call(api.core, "updateApiServer", { allowedOrigins: ["http://localhost:3000"] });
    const allowed = await rawRequest(api.port, preflight);
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(allowed.headers["access-control-allow-headers"]).toContain("authorization");
    const pageNow = await rawRequest(api.port, { headers: { ...auth, host, origin: "http://localhost:3000" } });
    expect(pageNow.status).toBe(200);
    expect(pageNow.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    // Another origin is still refused.
    expect((await rawRequest(api.port, { ...preflight, headers: { ...preflight.headers, origin: "http://evil.example" } })).status).toBe(403);
  });

  it("answers 413 for an oversized body without reading it, 400 for malformed input, and stays up", async () => {
    const api = await open({ limits: { maxBodyBytes: 64 * 1024 } });
    const host = `127.0.0.1:${api.port}`;
    const big = await rawRequest(api.port, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { ...auth, host, "content-type": "application/json" },
      body: Buffer.alloc(200 * 1024, 0x20),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: "request_too_large" } });
    for (const body of ["", "null", "[]", '{"model":1}', '{"model":"x","messages":[]}', "\u0000\u0001garbage", '{"messages":'.repeat(1000)]) {
      const response = await rawRequest(api.port, { method: "POST", path: "/v1/chat/completions", headers: { ...auth, host, "content-type": "application/json" }, body });
      expect(response.status, body.slice(0, 20)).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { type: "invalid_request_error", message: expect.any(String) } });
    }
    // A malformed request line: Node answers 400 and the server goes on.
    const garbage = await new Promise<string>((resolve) => {
      const socket = net.connect(api.port, "127.0.0.1", () => socket.end("NOT HTTP AT ALL\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    // A malformed escape in a path is an unknown model, not a server error.
    expect((await rawRequest(api.port, { path: "/v1/models/%E0%A4%A", headers: { ...auth, host } })).status).toBe(404);
    expect((await rawRequest(api.port, { path: "/nothing/here", headers: { ...auth, host } })).status).toBe(404);
    expect((await rawRequest(api.port, { path: "//[", headers: { ...auth, host } })).status).toBe(400);
    expect((await rawRequest(api.port, { headers: { ...auth, host } })).status).toBe(200);
  });

  it("under a flood of connections and requests: 429 past the queue, memory bounded, and it still answers", async () => {
    const api = await open({ limits: { maxQueued: 3, maxConnections: 32 } });
    const host = `127.0.0.1:${api.port}`;
    const heapBefore = process.memoryUsage().heapUsed;
    // 200 idle sockets: past maxConnections they are closed at once.
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(api.port, "127.0.0.1", () => resolve(socket));
        socket.on("error", () => resolve(socket));
      })),
    );
    for (const socket of sockets) socket.destroy();
    // 12 generations at once: 1 runs, 3 wait, the rest are told 429 straight away.
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        rawRequest(api.port, { method: "POST", path: "/v1/chat/completions", headers: { ...auth, host, "content-type": "application/json" }, body: chatBody(api.model.id, { max_tokens: 30 }) }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    const limited = responses.find((r) => r.status === 429)!;
    expect(JSON.parse(limited.body)).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limit_exceeded" } });
    // And the OpenAI client is served normally afterwards.
    const client = new OpenAI({ baseURL: api.baseURL, apiKey: TEST_API_KEY, maxRetries: 0 });
    const after = await client.chat.completions.create({ model: api.model.id, messages: [{ role: "user", content: "Hi" }], max_tokens: 3 });
    expect(after.choices[0]!.message.content).toBeTypeOf("string");
    // Activity stays bounded and the heap did not balloon (generous bound: GC timing varies).
    expect(api.core.apiServer.activityList().length).toBeLessThanOrEqual(500);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("the key is generated, shown masked, rotatable (the old one stops working) and kept across restarts", async () => {
    const dataDir = tempDir();
    const api = await open({ dataDir });
    // This launch's key wins (--api-key); rotating gives a stored, generated one.
    let state = await call<ApiServerState>(api.core, "getApiServer", {});
    expect(state).toMatchObject({ enabled: true, running: true, keyFromLaunch: true, keyPreview: expect.stringMatching(/cdef$/) });
    state = await call<ApiServerState>(api.core, "rotateApiKey", {});
    expect(state.keyFromLaunch).toBe(false);
    const { key } = await call<{ key: string }>(api.core, "revealApiKey", {});
    expect(key).toMatch(/^hearth-[A-Za-z0-9_-]{32}$/);
    expect(state.keyPreview.endsWith(key.slice(-4))).toBe(true);
    expect(state.keyPreview).not.toContain(key.slice(0, 10));
    const host = `127.0.0.1:${api.port}`;
    expect((await rawRequest(api.port, { headers: { ...auth, host } })).status).toBe(401);
    expect((await rawRequest(api.port, { headers: { authorization: `Bearer ${key}`, host } })).status).toBe(200);
    // Stored sealed with the other secrets, never in plain text.
    const secrets = fs.readFileSync(path.join(dataDir, "secrets.json"), "utf8");
    expect(secrets).not.toContain(key);
    await api.core.dispose();
    opened.length = 0;

    // Switched on in Settings (no launch port): it comes back on with the same key after a restart.
    const { createCore } = await import("../../electron/core/core.js");
    const { createStderrLogger } = await import("../../electron/core/logger.js");
    const again = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error"), policyFile: null });
    try {
      let restarted = await call<ApiServerState>(again, "getApiServer", {});
      expect(restarted).toMatchObject({ enabled: false, running: false, url: null });
      const free = await freePort();
      restarted = await call<ApiServerState>(again, "updateApiServer", { enabled: true, port: free });
      expect(restarted).toMatchObject({ enabled: true, running: true, url: `http://127.0.0.1:${free}/v1` });
      expect((await call<{ key: string }>(again, "revealApiKey", {})).key).toBe(key);
      expect((await rawRequest(free, { headers: { authorization: `Bearer ${key}`, host: `127.0.0.1:${free}` } })).status).toBe(200);
      restarted = await call<ApiServerState>(again, "updateApiServer", { enabled: false });
      expect(restarted.running).toBe(false);
      await expect(rawRequest(free, { headers: { authorization: `Bearer ${key}`, host: `127.0.0.1:${free}` } })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await again.dispose();
    }
  });

  it("is off by default, and makes no key until it is first switched on", async () => {
    const { createCore } = await import("../../electron/core/core.js");
    const { createStderrLogger } = await import("../../electron/core/logger.js");
    const dataDir = tempDir();
    const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error"), policyFile: null });
    try {
      const state = await call<ApiServerState>(core, "getApiServer", {});
      expect(state).toMatchObject({ enabled: false, running: false, url: null, keyPreview: "", port: 8765, allowedOrigins: [] });
      const secretsFile = path.join(dataDir, "secrets.json");
      expect(fs.existsSync(secretsFile) && fs.readFileSync(secretsFile, "utf8").includes("localApiKey")).toBe(false);
      const on = await call<ApiServerState>(core, "updateApiServer", { enabled: true, port: await freePort() });
      expect(on.running).toBe(true);
      expect(on.keyPreview).toMatch(/^•+.{4}$/);
      expect(fs.readFileSync(secretsFile, "utf8")).toContain("localApiKey");
    } finally {
      await core.dispose();
    }
  });

  it("a port already in use is reported in Settings, not thrown", async () => {
    const api = await open();
    const result = await api.core.call("updateApiServer", { enabled: true, port: api.port });
    // Its own port is fine; another program's is not.
    expect(result.ok).toBe(true);
    const blocker = net.createServer();
    const taken = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const state = await call<ApiServerState>(api.core, "updateApiServer", { port: taken });
      expect(state).toMatchObject({ running: false, url: null, problem: expect.stringContaining(`Port ${taken}`) });
    } finally {
      blocker.close();
    }
  });

  it("the organisation's policy can forbid the server: it does not start and cannot be switched on", async () => {
    const dir = tempDir();
    const policyFile = path.join(dir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ allowLocalApi: false }));
    await expect(open({ policyFile })).rejects.toThrow(/did not start/);
    const { createCore } = await import("../../electron/core/core.js");
    const { createStderrLogger } = await import("../../electron/core/logger.js");
    const core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, logger: createStderrLogger("error"), policyFile, apiServer: { port: 0, key: TEST_API_KEY } });
    try {
      const state = await call<ApiServerState>(core, "getApiServer", {});
      expect(state).toMatchObject({ running: false, policyRefusal: expect.stringContaining("policy does not allow") });
      const refused = await core.call("updateApiServer", { enabled: true, port: 40_000 });
      expect(refused).toMatchObject({ ok: false, error: { code: "POLICY_LOCKED" } });
      const settings = await call<{ policy: { allowLocalApi?: boolean } }>(core, "getSettings", {});
      expect(settings.policy.allowLocalApi).toBe(false);
    } finally {
      await core.dispose();
    }
  });

  it("switching the server off mid-answer ends the request and frees the engine", async () => {
    const api = await open();
    const host = `127.0.0.1:${api.port}`;
    const pending = rawRequest(api.port, { method: "POST", path: "/v1/chat/completions", headers: { ...auth, host, "content-type": "application/json" }, body: chatBody(api.model.id, { max_tokens: 400, stream: true }) }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await call(api.core, "updateApiServer", { enabled: false });
    await pending;
    const [entry] = await activityCount(api.core, 1);
    expect(entry!.status).toBe(499);
    expect(api.core.apiServer.state().running).toBe(false);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
  await new Promise((resolve) => server.close(resolve));
  return port;
}
