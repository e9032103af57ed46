import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "../../electron/contract/index.js";
import { call } from "../fixtures/core-call.js";
import { openApiCore, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

let api: ApiFixture;

beforeAll(async () => {
  api = await openApiCore();
});
afterAll(async () => {
  await api?.core.dispose();
});

describe("local API: fair with the app's own chats", () => {
  it("with four clients streaming at once, a message sent in the app waits for at most one API answer", async () => {
    const conversation = await call<{ id: string }>(api.core, "createConversation", {});
    await call(api.core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 8, temperature: 0 } });
    let uiFinishedAt = 0;
    let uiText = "";
    api.core.subscribe("chat", (event: ChatEvent) => {
      if (event.conversationId !== conversation.id) return;
      if (event.type === "text-delta") uiText += event.text;
      if (event.type === "message-finish") uiFinishedAt = performance.now();
    });

    // Four programs (told apart by their User-Agent), each streaming a long answer.
    const finishedAt: number[] = [];
    const clients = Array.from({ length: 4 }, (_, i) =>
      new OpenAI({ baseURL: api.baseURL, apiKey: TEST_API_KEY, maxRetries: 0, defaultHeaders: { "user-agent": `script-${i}` } }),
    );
    let firstToken: () => void;
    const started = new Promise<void>((resolve) => (firstToken = resolve));
    const runs = clients.map(async (client, i) => {
      const stream = await client.chat.completions.create({
        model: api.model.id,
        messages: [{ role: "user", content: `Story number ${i}` }],
        max_tokens: 150,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      });
      let tokens = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) firstToken();
        if (chunk.usage) tokens = chunk.usage.completion_tokens;
      }
      finishedAt.push(performance.now());
      return tokens;
    });
    // Once the first API answer is being written, the user sends a message in the app.
    await started;
    await call(api.core, "sendMessage", { conversationId: conversation.id, text: "Hello there" });
    const tokens = await Promise.all(runs);
    for (let waited = 0; uiFinishedAt === 0 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tokens.every((count) => count > 0)).toBe(true);
    expect(uiFinishedAt).toBeGreaterThan(0);
    expect(uiText.length).toBeGreaterThan(0);
    finishedAt.sort((a, b) => a - b);
    // The running API answer may finish first (and one more that was already queued in the engine at most);
    // the other API requests wait behind the user's message.
    const apiBeforeUi = finishedAt.filter((at) => at < uiFinishedAt).length;
    expect(apiBeforeUi).toBeLessThanOrEqual(2);
    expect(finishedAt.length - apiBeforeUi).toBeGreaterThanOrEqual(2);
  });
});
