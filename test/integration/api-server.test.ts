import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityCount, openApiCore, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

let api: ApiFixture;
let client: OpenAI;

beforeAll(async () => {
  api = await openApiCore();
  client = new OpenAI({ baseURL: api.baseURL, apiKey: TEST_API_KEY, maxRetries: 0, timeout: 60_000 });
});
afterAll(async () => {
  await api?.core.dispose();
});

const ask = (content: string) => [
  { role: "system" as const, content: "You tell short stories." },
  { role: "user" as const, content },
];

describe("local API with the official openai client", () => {
  it("lists the installed models", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual([api.model.id]);
    expect(page.data[0]).toMatchObject({ object: "model", owned_by: "hearth" });
    const one = await client.models.retrieve(api.model.id);
    expect(one.id).toBe(api.model.id);
  });

  it("answers without streaming, with usage, and honours max_tokens", async () => {
    const completion = await client.chat.completions.create({
      model: api.model.id,
      messages: ask("Once upon a time"),
      max_tokens: 12,
      temperature: 0,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices).toHaveLength(1);
    const choice = completion.choices[0]!;
    expect(choice.message.role).toBe("assistant");
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect(choice.finish_reason).toBe("length");
    expect(completion.usage!.completion_tokens).toBe(12);
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + 12);
  });

  it("accepts the model by its name too", async () => {
    const completion = await client.chat.completions.create({ model: api.model.name, messages: ask("Hi"), max_completion_tokens: 3 });
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(3);
  });

  it("streams chunks and then usage when asked for", async () => {
    const stream = await client.chat.completions.create({
      model: api.model.id,
      messages: ask("Tom had a red ball"),
      max_tokens: 20,
      temperature: 0,
      seed: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      if (chunk.usage) {
        usage = chunk.usage;
        expect(chunk.choices).toEqual([]);
        continue;
      }
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.length).toBeGreaterThan(0);
    expect(finishes).toEqual(["length"]);
    expect(usage).toMatchObject({ completion_tokens: 20 });

    // The same request without streaming writes the same answer (same seed, temperature 0).
    const whole = await client.chat.completions.create({
      model: api.model.id,
      messages: ask("Tom had a red ball"),
      max_tokens: 20,
      temperature: 0,
      seed: 7,
    });
    expect(whole.choices[0]!.message.content).toBe(text);
  });

  it("a client's follow-up reuses its conversation's cache (usage says how many prompt tokens were cached)", async () => {
    const first = await client.chat.completions.create({ model: api.model.id, messages: ask("Sam found a box"), max_tokens: 10, temperature: 0 });
    expect(first.usage!.prompt_tokens_details?.cached_tokens ?? 0).toBeLessThan(first.usage!.prompt_tokens / 2);
    const followUp = await client.chat.completions.create({
      model: api.model.id,
      messages: [...ask("Sam found a box"), { role: "assistant", content: first.choices[0]!.message.content! }, { role: "user", content: "What was in it?" }],
      max_tokens: 10,
      temperature: 0,
    });
    expect(followUp.usage!.prompt_tokens).toBeGreaterThan(first.usage!.prompt_tokens);
    expect(followUp.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThanOrEqual(first.usage!.prompt_tokens - 2);
  });

  it("ends the answer before a stop string, which is never sent", async () => {
    const free = await client.chat.completions.create({ model: api.model.id, messages: ask("Lily went"), max_tokens: 40, temperature: 0, seed: 1 });
    const text = free.choices[0]!.message.content!;
    // A word from the middle of the unconstrained answer.
    const words = text.split(/\s+/).filter((word) => word.length >= 3);
    const stop = words[Math.floor(words.length / 2)]!;
    const cut = await client.chat.completions.create({ model: api.model.id, messages: ask("Lily went"), max_tokens: 40, temperature: 0, seed: 1, stop: [stop] });
    expect(cut.choices[0]!.finish_reason).toBe("stop");
    expect(cut.choices[0]!.message.content).toBe(text.slice(0, text.indexOf(stop)));
    expect(cut.usage!.completion_tokens).toBeLessThan(free.usage!.completion_tokens);
  });

  it("stops the engine when the client aborts mid-stream", async () => {
    const before = api.core.apiServer.activityList().length;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: api.model.id, messages: ask("A long story about a dog"), max_tokens: 400, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let got = 0;
    // The client may end the loop quietly or with an abort error: either way it has gone away.
    await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) got++;
        if (got === 3) controller.abort();
      }
    })().catch(() => undefined);
    expect(got).toBe(3);
    const [entry] = await activityCount(api.core, before + 1);
    expect(entry).toMatchObject({ status: 499, stream: true, error: "client_closed" });
    // The engine stopped well before the end of the answer it would have written (same request, not aborted),
    // and is free for the next request at once.
    const whole = await client.chat.completions.create({ model: api.model.id, messages: ask("A long story about a dog"), max_tokens: 400, temperature: 0 });
    expect(entry!.outputTokens).toBeLessThan(whole.usage!.completion_tokens - 50);
  });

  it("refuses a wrong key with 401 in OpenAI's error shape", async () => {
    const bad = new OpenAI({ baseURL: api.baseURL, apiKey: "not-the-key-0000000000", maxRetries: 0 });
    const error = await bad.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("invalid_api_key");
    const none = await fetch(`${api.baseURL}/models`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "invalid_api_key" },
    });
  });

  it("refuses a bad body with 400 naming the parameter", async () => {
    const error = (await client.chat.completions
      .create({ model: api.model.id, messages: [{ role: "wizard", content: "hi" }] } as never)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe("messages[0].role");
    const temperature = (await client.chat.completions
      .create({ model: api.model.id, messages: ask("x"), temperature: 7 })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(temperature.status).toBe(400);
    expect(temperature.param).toBe("temperature");
    const notJson = await fetch(`${api.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" },
      body: "{ not json",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json", param: null } });
  });

  it("answers 404 for an unknown model, for chats and for embeddings", async () => {
    const error = (await client.chat.completions
      .create({ model: "gpt-4o", messages: ask("x") })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
    expect(error.param).toBe("model");
    const embedding = (await client.embeddings
      .create({ model: "text-embedding-3-small", input: "hello" })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(embedding).toBeInstanceOf(OpenAI.NotFoundError);
    expect(embedding.code).toBe("model_not_found");
    expect(embedding.param).toBe("model");
  });

  it("records every request in the activity view, without its payload", async () => {
    const entries = api.core.apiServer.activityList();
    expect(entries.length).toBeGreaterThan(5);
    const ok = entries.find((entry) => entry.path === "/v1/chat/completions" && entry.status === 200)!;
    expect(ok).toMatchObject({ method: "POST", model: expect.any(String), client: expect.stringMatching(/OpenAI/i) });
    expect(ok.inputTokens).toBeGreaterThan(0);
    expect(ok.outputTokens).toBeGreaterThan(0);
    expect(ok.remotePort).toBeGreaterThan(0);
    expect(entries.some((entry) => entry.status === 401 && entry.error === "invalid_api_key")).toBe(true);
    expect(JSON.stringify(entries)).not.toContain("Tom had a red ball");
    // The same list over the contract.
    const listed = await api.core.call("listApiActivity", { limit: 3 });
    expect(listed).toMatchObject({ ok: true, value: expect.any(Array) });
    expect((listed as { value: unknown[] }).value).toHaveLength(3);
  });
});
