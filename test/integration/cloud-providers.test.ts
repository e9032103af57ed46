import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderKind } from "../../electron/contract/index.js";
import { streamCloudChat, testProviderConnection } from "../../electron/core/cloud/cloud-chat.js";
import { createCloudHarness, wireOf, type CloudHarness } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";

const kinds: ProviderKind[] = ["openai", "openai-compatible", "anthropic", "gemini"];
const models: Record<ProviderKind, string> = {
  openai: "gpt-4.1-mini",
  "openai-compatible": "llama-3.1-8b-instruct",
  anthropic: "claude-sonnet-4-5",
  gemini: "gemini-2.5-flash",
};

describe.each(kinds)("%s through the AI SDK and the egress gate", (kind) => {
  const key = `key-${kind}-Zq8v3N1x7Lw2Rk5Tj9Hc4Pb6`;
  let server: FakeProviderServer;
  let h: CloudHarness;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: wireOf(kind), apiKey: key, reply: "The capital of France is Paris.", usage: { input: 21, output: 8 } });
    h = createCloudHarness();
  });
  afterAll(async () => {
    await server.close();
    h.close();
  });

  it("streams the answer and audits the exact body the server received", async () => {
    const provider = h.providers.save({ kind, name: `Fake ${kind}`, baseUrl: server.baseUrl, model: models[kind], apiKey: key, inputPricePerMTok: 2, outputPricePerMTok: 8 });
    const deltas: string[] = [];
    const result = await streamCloudChat({
      provider,
      apiKey: h.providers.apiKey(provider.id),
      payload: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "What is the capital of [COUNTRY_1]?" },
      ],
      temperature: 0.3,
      maxOutputTokens: 200,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider),
      onTextDelta: (text) => deltas.push(text),
    });

    expect(result.text).toBe("The capital of France is Paris.");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result.tokensIn).toBe(21);
    expect(result.tokensOut).toBe(8);
    expect(result.finishReason).toBe("stop");

    expect(server.requests).toHaveLength(1);
    const received = server.requests[0]!;
    expect(received.auth).toBe("ok");
    expect(JSON.stringify(received.headers)).not.toContain(key);
    expect(received.body).toContain("What is the capital of [COUNTRY_1]?");
    expect(received.body).toContain("You are terse.");

    const [entry] = h.audit.list({});
    expect(entry).toBeDefined();
    expect(entry!.payload).toBe(received.body);
    expect(entry!.bytesSent).toBe(Buffer.byteLength(received.body));
    expect(entry!.bytesReceived).toBeGreaterThan(100);
    expect(entry!.tokensIn).toBe(21);
    expect(entry!.tokensOut).toBe(8);
    expect(entry!.costUsd).toBeCloseTo((21 * 2 + 8 * 8) / 1e6, 12);
    expect(entry!.outcome).toBe("ok");
    expect(entry!.error).toBeNull();
    expect(entry!.durationMs).toBeGreaterThan(0);
    expect(entry!.host).toBe(new URL(server.url).host);
    expect(entry!.providerKind).toBe(kind);
    expect(entry!.model).toBe(models[kind]);
    expect(entry!.conversationId).toBe("conv-1");
    // Appended, then closed: the same id twice, the last one final.
    expect(h.auditEvents.map((e) => e.id)).toEqual([entry!.id, entry!.id]);
    expect(h.auditEvents.at(-1)).toEqual(entry);
    // Nothing secret in the database file.
    h.db.pragma("wal_checkpoint(TRUNCATE)");
    const raw = (await import("node:fs")).readFileSync(h.dbFile);
    expect(raw.includes(Buffer.from(key))).toBe(false);
  });

  it("checks a connection with a tiny request", async () => {
    const provider = h.providers.list()[0]!;
    const ok = await testProviderConnection({ provider, apiKey: key, signal: new AbortController().signal, fetch: h.gate.chatFetch({ conversationId: null, conversationTitle: null, privacyMode: "ask", provider, purpose: "provider-test" }) });
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/^Connected to Fake/);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(h.audit.list({ limit: 1 })[0]!.purpose).toBe("provider-test");

    const bad = await testProviderConnection({ provider, apiKey: "wrong-key", signal: new AbortController().signal, fetch: h.chatFetch(provider) });
    expect(bad).toMatchObject({ ok: false, latencyMs: null });
    expect(bad.message).toMatch(/did not accept the API key/);
    expect(bad.message).not.toContain("wrong-key");
  });
});

describe("OpenAI-compatible servers", () => {
  it("keep a base URL's query (Azure's api-version) on every request and work without a key (Ollama, llama.cpp)", async () => {
    const server = await startFakeProvider({ wire: "openai", reply: "ok" });
    const h = createCloudHarness();
    try {
      const provider = h.providers.save({ kind: "openai-compatible", name: "Azure-ish", baseUrl: `${server.baseUrl}?api-version=2024-10-21`, model: "gpt-4o" });
      const result = await streamCloudChat({
        provider,
        apiKey: null,
        payload: [{ role: "user", content: "hi" }],
        temperature: 0,
        maxOutputTokens: null,
        signal: new AbortController().signal,
        fetch: h.chatFetch(provider),
        onTextDelta: () => {},
      });
      expect(result.text).toBe("ok");
      expect(server.requests[0]!.path).toBe("/v1/chat/completions?api-version=2024-10-21");
      expect(server.requests[0]!.auth).toBe("missing");
      expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ model: "gpt-4o", stream: true, stream_options: { include_usage: true } });
    } finally {
      await server.close();
      h.close();
    }
  });
});
