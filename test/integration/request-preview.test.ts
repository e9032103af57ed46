import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PayloadMessage, ProviderKind } from "../../electron/contract/index.js";
import { requestBodyFor, streamCloudChat } from "../../electron/core/cloud/cloud-chat.js";
import { createCloudHarness, wireOf, type CloudHarness } from "../fake-providers/cloud-harness.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";

const kinds: ProviderKind[] = ["openai-compatible", "openai", "anthropic", "gemini"];
const models: Record<ProviderKind, string> = {
  openai: "gpt-4.1-mini",
  "openai-compatible": "llama-3.1-8b-instruct",
  anthropic: "claude-sonnet-4-5",
  gemini: "gemini-2.5-flash",
};
const payload: PayloadMessage[] = [
  { role: "system", content: "You are terse. Ünïcödé — 東京." },
  { role: "user", content: "Write to [EMAIL_1] about [PERSON_1]'s appointment." },
  { role: "assistant", content: "Which day?" },
  { role: "user", content: "Tuesday, at [ADDRESS_1]." },
];

describe.each(kinds)("%s: the previewed request body is the one that leaves", (kind) => {
  const key = `key-${kind}-Preview0123456789abcdef`;
  let server: FakeProviderServer;
  let h: CloudHarness;

  beforeAll(async () => {
    server = await startFakeProvider({ wire: wireOf(kind), apiKey: key, reply: "Done.", usage: { input: 9, output: 2 } });
    h = createCloudHarness();
  });
  afterAll(async () => {
    await server.close();
    h.close();
  });

  it("builds the body without sending, and the server receives exactly those bytes", async () => {
    const provider = h.providers.save({ kind, name: `Fake ${kind}`, baseUrl: server.baseUrl, model: models[kind], apiKey: key });
    const before = server.requests.length;
    const body = await requestBodyFor({ provider, payload, temperature: 0.4, maxOutputTokens: 300 });
    // Nothing left while previewing, and nothing was audited.
    expect(server.requests.length).toBe(before);
    expect(h.fetchCalls).toEqual([]);
    expect(h.audit.list({})).toEqual([]);
    // The whole body: model (in the body or, for Gemini, the URL), parameters and every message.
    if (kind !== "gemini") expect(body).toContain(models[kind]);
    expect(body).toContain("[EMAIL_1]");
    expect(body).toContain("Tuesday, at [ADDRESS_1].");
    expect(body).toContain("0.4");
    expect(body).toContain("300");

    const result = await streamCloudChat({
      provider,
      apiKey: h.providers.apiKey(provider.id),
      payload,
      temperature: 0.4,
      maxOutputTokens: 300,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider),
      onTextDelta: () => {},
      expectedBody: body,
    });
    expect(result.text).toBe("Done.");
    expect(server.requests.length).toBe(before + 1);
    const received = server.requests.at(-1)!.body;
    expect(received).toBe(body);
    expect(Buffer.byteLength(received, "utf8")).toBe(Buffer.byteLength(body, "utf8"));
    expect(h.audit.list({})[0]!.bytesSent).toBe(Buffer.byteLength(body, "utf8"));
  });

  it("refuses, sending nothing, when the request would differ from the previewed one", async () => {
    const provider = h.providers.save({ kind, name: `Fake ${kind} 2`, baseUrl: server.baseUrl, model: models[kind], apiKey: key });
    const body = await requestBodyFor({ provider, payload, temperature: 0.4, maxOutputTokens: 300 });
    const before = server.requests.length;
    const calls = h.fetchCalls.length;
    const sending = streamCloudChat({
      provider,
      apiKey: h.providers.apiKey(provider.id),
      payload,
      // The temperature changed in Settings after the preview.
      temperature: 0.9,
      maxOutputTokens: 300,
      signal: new AbortController().signal,
      fetch: h.chatFetch(provider),
      onTextDelta: () => {},
      expectedBody: body,
    });
    await expect(sending).rejects.toMatchObject({ code: "EGRESS_BLOCKED", message: expect.stringMatching(/no longer what you reviewed/) });
    expect(server.requests.length).toBe(before);
    expect(h.fetchCalls.length).toBe(calls);
  });
});
