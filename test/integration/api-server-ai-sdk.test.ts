import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, Output, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { activityCount, openApiCore, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

let api: ApiFixture;
let hearth: ReturnType<typeof createOpenAICompatible>;

beforeAll(async () => {
  api = await openApiCore();
  hearth = createOpenAICompatible({ name: "hearth", baseURL: api.baseURL, apiKey: TEST_API_KEY, includeUsage: true, supportsStructuredOutputs: true });
});
afterAll(async () => {
  await api?.core.dispose();
});

describe("local API with the AI SDK's openai-compatible provider", () => {
  it("generateText: text, finish reason and usage", async () => {
    const result = await generateText({ model: hearth.chatModel(api.model.id), system: "Stories.", prompt: "Once upon a time", maxOutputTokens: 15, temperature: 0, maxRetries: 0 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.finishReason).toBe("length");
    expect(result.usage.outputTokens).toBe(15);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it("streamText: deltas, then usage from stream_options", async () => {
    const result = streamText({ model: hearth.chatModel(api.model.id), prompt: "The cat sat", maxOutputTokens: 20, temperature: 0, seed: 3, maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(3);
    expect((await result.usage).outputTokens).toBe(20);
    expect(await result.finishReason).toBe("length");
    const whole = await generateText({ model: hearth.chatModel(api.model.id), prompt: "The cat sat", maxOutputTokens: 20, temperature: 0, seed: 3, maxRetries: 0 });
    expect(deltas.join("")).toBe(whole.text);
  });

  it("abort mid-stream stops the engine", async () => {
    const before = api.core.apiServer.activityList().length;
    const controller = new AbortController();
    const result = streamText({ model: hearth.chatModel(api.model.id), prompt: "A long story", maxOutputTokens: 400, temperature: 0, abortSignal: controller.signal, maxRetries: 0 });
    let deltas = 0;
    await (async () => {
      for await (const part of result.fullStream) {
        if (part.type === "text-delta" && ++deltas === 3) controller.abort();
      }
    })().catch(() => undefined);
    const [entry] = await activityCount(api.core, before + 1);
    expect(entry).toMatchObject({ status: 499, error: "client_closed" });
    const whole = await generateText({ model: hearth.chatModel(api.model.id), prompt: "A long story", maxOutputTokens: 400, temperature: 0, maxRetries: 0 });
    expect(entry!.outputTokens).toBeLessThan(whole.usage.outputTokens! - 50);
  });

  it("tools: a required call reaches the SDK as a typed tool call", async () => {
    const result = await generateText({
      model: hearth.chatModel(api.model.id),
      prompt: "Weather in Oslo?",
      tools: { get_weather: tool({ description: "The weather", inputSchema: z.object({ city: z.string().max(20), days: z.number().int() }) }) },
      toolChoice: "required",
      maxOutputTokens: 60,
      maxRetries: 0,
    });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: expect.any(String), days: expect.any(Number) } });
  });

  it("structured output through response_format json_schema", async () => {
    const result = await generateText({
      model: hearth.chatModel(api.model.id),
      prompt: "A dog",
      output: Output.object({ schema: z.object({ name: z.string().max(10), age: z.number().int() }) }),
      maxOutputTokens: 60,
      temperature: 0,
      maxRetries: 0,
    });
    expect(result.output).toEqual({ name: expect.any(String), age: expect.any(Number) });
  });

  it("a wrong key is an API error with status 401", async () => {
    const wrong = createOpenAICompatible({ name: "hearth", baseURL: api.baseURL, apiKey: "wrong-key-000000000000" });
    const error = await generateText({ model: wrong.chatModel(api.model.id), prompt: "x", maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false });
  });

  it("a bad body is a 400 with OpenAI's error shape", async () => {
    const error = await generateText({ model: hearth.chatModel(api.model.id), prompt: "x", temperature: 9, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((error as { responseBody: string }).responseBody)).toMatchObject({ error: { param: "temperature", type: "invalid_request_error" } });
  });
});
