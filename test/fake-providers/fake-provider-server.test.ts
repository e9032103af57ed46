import { afterEach, describe, expect, it } from "vitest";
import { startFakeProvider, toDeltas, type FakeProviderServer } from "./fake-provider-server.js";

let server: FakeProviderServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("fake provider servers speak the real wire formats", () => {
  it("OpenAI: chat.completion.chunk events, a usage chunk when asked, then [DONE]", async () => {
    server = await startFakeProvider({ wire: "openai", apiKey: "sk-1", reply: "Hi there", usage: { input: 3, output: 2 } });
    const res = await post(`${server.baseUrl}/chat/completions`, { model: "gpt-x", stream: true, stream_options: { include_usage: true }, messages: [] }, { authorization: "Bearer sk-1" });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)) as { model: string; choices: Array<{ delta: { content?: string } }>; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hi there");
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(chunks[0]!.model).toBe("gpt-x");
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", auth: "ok", status: 200 });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("Anthropic: named events from message_start to message_stop", async () => {
    server = await startFakeProvider({ wire: "anthropic", reply: "Hello" });
    const text = await (await post(`${server.baseUrl}/messages`, { model: "claude-x", stream: true }, { "x-api-key": "k" })).text();
    const names = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(server.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(server.requests[0]!.auth).toBe("unchecked");
    await post(`${server.baseUrl}/messages`, { model: "claude-x", stream: true }, {});
    expect(server.requests[1]!.auth).toBe("missing");
  });

  it("Gemini: streamGenerateContent?alt=sse with usageMetadata on every chunk", async () => {
    server = await startFakeProvider({ wire: "gemini", apiKey: "g-1", reply: "One two" });
    const res = await post(`${server.baseUrl}/models/gemini-x:streamGenerateContent?alt=sse`, { contents: [] }, { "x-goog-api-key": "g-1" });
    const events = (await res.text()).split("\r\n\r\n").filter(Boolean).map((e) => JSON.parse(e.slice(6)) as { candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }>; usageMetadata: unknown });
    expect(events.map((e) => e.candidates[0]!.content.parts[0]!.text).join("")).toBe("One two");
    expect(events.at(-1)!.candidates[0]!.finishReason).toBe("STOP");
    expect(events.every((e) => e.usageMetadata)).toBe(true);
    expect(server.requests[0]!.path).toBe("/v1beta/models/gemini-x:streamGenerateContent?alt=sse");
  });

  it("answers faults: a wrong key, 429 with retry-after, 500, unknown routes", async () => {
    server = await startFakeProvider({ wire: "openai", apiKey: "right" });
    const wrong = await post(`${server.baseUrl}/chat/completions`, {}, { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(server.requests.at(-1)!.auth).toBe("wrong");
    server.setFault({ kind: "rate-limit", retryAfterSeconds: 3 });
    const limited = await post(`${server.baseUrl}/chat/completions`, {}, { authorization: "Bearer right" });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    server.setFault({ kind: "server" });
    expect((await post(`${server.baseUrl}/chat/completions`, {}, { authorization: "Bearer right" })).status).toBe(500);
    expect((await post(`${server.baseUrl}/embeddings`, {}, { authorization: "Bearer right" })).status).toBe(404);
  });

  it("stalls, resets and breaks streams on request", async () => {
    server = await startFakeProvider({ wire: "anthropic", fault: { kind: "reset" } });
    const reset = await post(`${server.baseUrl}/messages`, {}, {});
    await expect(reset.text()).rejects.toThrow();
    server.setFault({ kind: "malformed" });
    expect(await (await post(`${server.baseUrl}/messages`, {}, {})).text()).toContain('"text":\n\n');
    server.setFault({ kind: "stall" });
    const stalled = await post(`${server.baseUrl}/messages`, {}, {});
    const reader = stalled.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const next = await Promise.race([reader.read().then(() => "data"), new Promise((r) => setTimeout(() => r("silence"), 200))]);
    expect(next).toBe("silence");
    await reader.cancel();
  });

  it("splits replies into word deltas", () => {
    expect(toDeltas("The cat  sat.")).toEqual(["The ", "cat  ", "sat."]);
  });
});
