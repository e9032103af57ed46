import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Policy, Provider } from "../../electron/contract/index.js";
import { AppError } from "../../electron/contract/index.js";
import { streamCloudChat } from "../../electron/core/cloud/cloud-chat.js";
import { EgressGate } from "../../electron/core/cloud/egress.js";
import { emptyPolicy } from "../../electron/core/cloud/policy.js";
import { createCloudHarness, type CloudHarness } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { watchSockets } from "../fixtures/socket-watch.js";

/** Counts every outbound socket the process opens, whoever opens it, and whether the gate opened it. */
async function countSockets(): Promise<{ count: () => number; byGate: () => boolean; restore: () => void }> {
  const watch = await watchSockets();
  const sockets = () => watch.connections.filter((c) => c.via !== "dispatch");
  return {
    count: () => sockets().length,
    byGate: () => watch.connections.every((c) => c.byGate),
    restore: () => watch.restore(),
  };
}

const send = (gate: EgressGate, provider: Provider, privacyMode: "local" | "ask" | "auto") =>
  streamCloudChat({
    provider,
    apiKey: "sk-egress-test",
    payload: [{ role: "user", content: "the payload" }],
    temperature: 0.2,
    maxOutputTokens: 50,
    signal: new AbortController().signal,
    fetch: gate.chatFetch({ conversationId: "c1", conversationTitle: "T", privacyMode, provider, purpose: "chat" }),
    onTextDelta: () => {},
  });

describe("the egress gate", () => {
  let server: FakeProviderServer;
  let h: CloudHarness;
  let sockets: Awaited<ReturnType<typeof countSockets>>;
  let gate: EgressGate;
  let provider: Provider;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: "openai" });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    h = createCloudHarness();
    // The default fetch (the real network), as the app uses it.
    gate = new EgressGate({ policy: () => h.policy, audit: h.audit, onAudit: (e) => h.auditEvents.push(e) });
    provider = h.providers.save({ kind: "openai-compatible", name: "Local vLLM", baseUrl: server.baseUrl, model: "m", apiKey: "sk-egress-test" });
    server.requests.length = 0;
    sockets = await countSockets();
  });
  afterEach(() => {
    sockets.restore();
    h.close();
  });

  it("the socket counter sees a real request (control)", async () => {
    const fresh = await startFakeProvider({ wire: "openai" });
    try {
      const p = h.providers.save({ ...provider, id: undefined, baseUrl: fresh.baseUrl });
      await send(gate, p, "ask");
      expect(sockets.count()).toBeGreaterThanOrEqual(1);
      // The request's connection, and the fetch dispatch before it, were the gate's own.
      expect(sockets.byGate()).toBe(true);
      expect(fresh.requests).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it("Local only: EGRESS_BLOCKED, zero requests, no socket opened, nothing audited", async () => {
    const fresh = await startFakeProvider({ wire: "openai" });
    try {
      const p = h.providers.save({ ...provider, id: undefined, baseUrl: fresh.baseUrl });
      const error = (await send(gate, p, "local").catch((e: unknown) => e)) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe("EGRESS_BLOCKED");
      expect(error.message).toMatch(/Local only/);
      expect(() => gate.assertAllowed({ privacyMode: "local", provider: p })).toThrow(/Local only/);
      expect(sockets.count()).toBe(0);
      expect(fresh.requests).toHaveLength(0);
      expect(h.audit.list({})).toHaveLength(0);
      expect(h.auditEvents).toHaveLength(0);
    } finally {
      await fresh.close();
    }
  });

  const refusals: Array<[string, Partial<Policy>, "ask" | "auto", RegExp]> = [
    ["a policy locked to Local only", { lockedPrivacyMode: "local" }, "ask", /keeps every conversation on this computer/],
    ["a policy that requires Ask, in Auto", { lockedPrivacyMode: "ask" }, "auto", /review every payload/],
    ["a provider kind the policy does not allow", { allowedProviderKinds: ["anthropic"] }, "ask", /does not allow OpenAI-compatible server providers/],
    ["a host the policy does not allow", { allowedProviderHosts: ["llm.example.org"] }, "ask", /does not allow sending to 127\.0\.0\.1:\d+/],
    ["a port the policy does not allow", { allowedProviderHosts: ["127.0.0.1:1"] }, "ask", /does not allow sending to/],
    ["a fail-closed (malformed) policy", { lockedPrivacyMode: "local", allowedProviderKinds: [], allowedProviderHosts: [] }, "ask", /keeps every conversation/],
  ];

  it.each(refusals)("%s: POLICY_LOCKED before any socket", async (_name, policy, mode, message) => {
    h.policy = { ...emptyPolicy, source: "/etc/hearth/policy.json", ...policy };
    const error = (await send(gate, provider, mode).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("POLICY_LOCKED");
    expect(error.message).toMatch(message);
    expect(sockets.count()).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(h.audit.list({})).toHaveLength(0);
  });

  it("allows what the policy allows", async () => {
    const port = new URL(server.baseUrl).port;
    h.policy = { ...emptyPolicy, lockedPrivacyMode: "ask", allowedProviderKinds: ["openai-compatible"], allowedProviderHosts: [`127.0.0.1:${port}`] };
    await expect(send(gate, provider, "ask")).resolves.toMatchObject({ text: "Hello from the fake provider." });
    expect(server.requests).toHaveLength(1);
  });

  it("a provider test is allowed under an Ask lock (it has no payload to review) but not under a Local lock", async () => {
    const test = (mode: "auto") => gate.chatFetch({ conversationId: null, conversationTitle: null, privacyMode: mode, provider, purpose: "provider-test" });
    h.policy = { ...emptyPolicy, lockedPrivacyMode: "ask" };
    const body = JSON.stringify({ model: "m", messages: [], stream: true });
    const response = await test("auto")(`${server.baseUrl}/chat/completions`, { method: "POST", body });
    expect(response.status).toBe(200);
    await response.text();
    h.policy = { ...emptyPolicy, lockedPrivacyMode: "local" };
    await expect(test("auto")(`${server.baseUrl}/chat/completions`, { method: "POST", body })).rejects.toMatchObject({ code: "POLICY_LOCKED" });
    expect(h.audit.list({}).map((e) => [e.purpose, e.outcome])).toEqual([["provider-test", "ok"]]);
  });

  it("checks again on every request: a policy installed after the fetch was made still applies", async () => {
    const fetchFn = gate.chatFetch({ conversationId: "c1", conversationTitle: "T", privacyMode: "auto", provider, purpose: "chat" });
    h.policy = { ...emptyPolicy, lockedPrivacyMode: "local" };
    await expect(fetchFn(`${server.baseUrl}/chat/completions`, { method: "POST", body: "{}" })).rejects.toMatchObject({ code: "POLICY_LOCKED" });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a URL outside the provider's base URL, even on the same host", async () => {
    const fetchFn = gate.chatFetch({ conversationId: "c1", conversationTitle: "T", privacyMode: "auto", provider, purpose: "chat" });
    for (const url of [`${server.url}/other/chat/completions`, "http://192.0.2.1/v1/chat/completions", `${server.baseUrl}x/chat/completions`]) {
      await expect(fetchFn(url, { method: "POST", body: "{}" })).rejects.toMatchObject({ code: "EGRESS_BLOCKED" });
    }
    expect(sockets.count()).toBe(0);
    expect(h.audit.list({})).toHaveLength(0);
  });

  it("never lets a credential header cross a network in clear, whoever set it", async () => {
    const remote = h.providers.save({ kind: "openai-compatible", name: "LAN server", baseUrl: "http://llm.hearth.test:8000/v1", model: "m" });
    const fetchFn = gate.chatFetch({ conversationId: "c1", conversationTitle: "T", privacyMode: "auto", provider: remote, purpose: "chat" });
    for (const header of ["Authorization", "x-api-key", "api-key", "x-goog-api-key"]) {
      await expect(
        fetchFn("http://llm.hearth.test:8000/v1/chat/completions", { method: "POST", body: "{}", headers: { [header]: "sk-leak" } }),
        header,
      ).rejects.toMatchObject({ code: "INSECURE_ENDPOINT" });
    }
    expect(sockets.count()).toBe(0);
    expect(h.audit.list({})).toHaveLength(0);
  });

  it("audits a request even when nobody reads the answer, and a Stop as aborted", async () => {
    const controller = new AbortController();
    const fetchFn = gate.chatFetch({ conversationId: "c9", conversationTitle: "T", privacyMode: "auto", provider, purpose: "chat" });
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "héllo" }], stream: true });
    const response = await fetchFn(`${server.baseUrl}/chat/completions`, { method: "POST", body, signal: controller.signal, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(200);
    const [open] = h.audit.list({ conversationId: "c9" });
    expect(open).toMatchObject({ payload: body, bytesSent: Buffer.byteLength(body), durationMs: null });
    controller.abort();
    const [closed] = h.audit.list({ conversationId: "c9" });
    expect(closed).toMatchObject({ outcome: "aborted", error: null });
    expect(closed!.durationMs).not.toBeNull();
    expect(server.requests[0]!.body).toBe(body);
  });
});
