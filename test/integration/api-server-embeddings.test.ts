import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { cosineSimilarity, embed, embedMany } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embedLimits } from "../../electron/core/engine/embed.js";
import { activityCount, auth, openApiCore, rawRequest, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

/** `POST /v1/embeddings` on stories260K through the official openai client (which asks for base64 by default). */

let api: ApiFixture;
let client: OpenAI;

beforeAll(async () => {
  api = await openApiCore();
  client = new OpenAI({ baseURL: api.baseURL, apiKey: TEST_API_KEY, maxRetries: 0, timeout: 60_000 });
});
afterAll(async () => {
  await api?.core.dispose();
});

type ApiFailure = InstanceType<typeof OpenAI.APIError>;
const failure = (run: () => Promise<unknown>) => run().then(() => null, (e: unknown) => e as ApiFailure);

describe("local API embeddings with the official openai client", () => {
  it("embeds one text: the model's vector, OpenAI's shape, usage in tokens", async () => {
    const response = await client.embeddings.create({ model: api.model.id, input: "Once upon a time there was a cat." });
    const direct = await api.core.engine.embed({
      model: { id: api.model.id, path: api.model.path!, name: api.model.name },
      texts: ["Once upon a time there was a cat."],
    });
    expect(response.object).toBe("list");
    expect(response.model).toBe(api.model.id);
    expect(response.data).toHaveLength(1);
    expect(response.data[0]).toMatchObject({ object: "embedding", index: 0 });
    // The client asked for base64 (its default) and decoded it: the engine's vector at float32 precision.
    expect(response.data[0]!.embedding).toEqual(Array.from(new Float32Array(direct.vectors[0]!)));
    expect(response.data[0]!.embedding).toHaveLength(direct.dimensions);
    expect(response.usage).toEqual({ prompt_tokens: direct.tokens, total_tokens: direct.tokens });
  });

  it("embeds a batch as floats, in order: the same text the same vector, another text another", async () => {
    const input = ["The dog ran to the park.", "A bird sang in the tree.", "The dog ran to the park."];
    const response = await client.embeddings.create({ model: api.model.name, input, encoding_format: "float" });
    expect(response.data.map((item) => item.index)).toEqual([0, 1, 2]);
    const [a, b, c] = response.data.map((item) => item.embedding);
    expect(a).toEqual(c);
    expect(a).not.toEqual(b);
    expect(a!.every((x) => typeof x === "number" && Number.isFinite(x))).toBe(true);
    const single = await client.embeddings.create({ model: api.model.id, input: input[1]!, encoding_format: "float" });
    expect(single.data[0]!.embedding).toEqual(b);
    const each = await Promise.all(input.map((text) => client.embeddings.create({ model: api.model.id, input: text })));
    expect(response.usage.prompt_tokens).toBe(each.reduce((sum, one) => sum + one.usage.prompt_tokens, 0));
    expect(response.usage.total_tokens).toBe(response.usage.prompt_tokens);
  });

  it("sends base64 when asked: little-endian float32 of the same vector", async () => {
    const input = "A bird sang in the tree.";
    const floats = await client.embeddings.create({ model: api.model.id, input, encoding_format: "float" });
    const raw = await rawRequest(api.port, {
      method: "POST",
      path: "/v1/embeddings",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ model: api.model.id, input: [input], encoding_format: "base64" }),
    });
    expect(raw.status).toBe(200);
    const encoded = (JSON.parse(raw.body) as { data: { embedding: string }[] }).data[0]!.embedding;
    expect(typeof encoded).toBe("string");
    const bytes = Buffer.from(encoded, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(Array.from(new Float32Array(floats.data[0]!.embedding)));
  });

  it("refuses what it cannot embed with OpenAI's error shape, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ model: api.model.id, input: "" }, "input"],
      [{ model: api.model.id, input: [] }, "input"],
      [{ model: api.model.id, input: ["fine", ""] }, "input[1]"],
      [{ model: api.model.id, input: [[1, 2, 3]] }, "input"],
      [{ model: api.model.id, input: [1, 2, 3] }, "input"],
      [{ model: api.model.id, input: Array.from({ length: embedLimits.maxTexts + 1 }, () => "a cat") }, "input"],
      [{ model: api.model.id, input: "cat", encoding_format: "int8" }, "encoding_format"],
      [{ input: "cat" }, "model"],
      // Within the characters, past the model's 2048 tokens: the engine's refusal, still about `input`.
      [{ model: api.model.id, input: "the cat sat on the mat and ".repeat(400) }, "input"],
      [{ model: api.model.id, input: "cat", dimensions: 3 }, "dimensions"],
    ];
    for (const [body, param] of cases) {
      const error = await failure(() => client.post("/embeddings", { body }));
      expect(error, JSON.stringify(body).slice(0, 80)).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error!.param).toBe(param);
      expect(error!.type).toBe("invalid_request_error");
    }
    const unknown = await failure(() => client.embeddings.create({ model: "text-embedding-3-small", input: "cat" }));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown!.code).toBe("model_not_found");
    const badKey = new OpenAI({ baseURL: api.baseURL, apiKey: "wrong-key-0123456789", maxRetries: 0 });
    expect(await failure(() => badKey.embeddings.create({ model: api.model.id, input: "cat" }))).toBeInstanceOf(OpenAI.AuthenticationError);
    // Still serving.
    expect((await client.embeddings.create({ model: api.model.id, input: "cat" })).data).toHaveLength(1);
  });

  it("queues with chat completions at the gate and leaves a client's chat cache warm", async () => {
    const messages = [
      { role: "system" as const, content: "You tell short stories." },
      { role: "user" as const, content: "Tell me a story about a fox who lived in a wood near the river." },
    ];
    const first = await client.chat.completions.create({ model: api.model.id, messages, max_tokens: 8, temperature: 0 });
    const [follow, embedded] = await Promise.all([
      client.chat.completions.create({
        model: api.model.id,
        messages: [...messages, { role: "assistant", content: first.choices[0]!.message.content! }, { role: "user", content: "What next?" }],
        max_tokens: 8,
        temperature: 0,
      }),
      client.embeddings.create({ model: api.model.id, input: ["a fox", "a wood"] }),
    ]);
    expect(embedded.data).toHaveLength(2);
    expect(follow.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThan(20);
  });

  it("serves the AI SDK's openai-compatible provider: embed and embedMany with usage", async () => {
    const hearth = createOpenAICompatible({ name: "hearth", baseURL: api.baseURL, apiKey: TEST_API_KEY });
    const model = hearth.embeddingModel(api.model.id);
    const values = ["The dog ran to the park.", "A bird sang in the tree.", "The dog ran to the park."];
    const many = await embedMany({ model, values, maxRetries: 0 });
    expect(many.embeddings).toHaveLength(3);
    expect(cosineSimilarity(many.embeddings[0]!, many.embeddings[2]!)).toBeCloseTo(1, 6);
    expect(many.embeddings[0]).not.toEqual(many.embeddings[1]);
    expect(many.usage.tokens).toBeGreaterThan(0);
    const one = await embed({ model, value: values[1]!, maxRetries: 0 });
    expect(one.embedding).toEqual(many.embeddings[1]);
  });

  it("records each embeddings request in the activity view, with its tokens and no payload", async () => {
    await client.embeddings.create({ model: api.model.id, input: "recorded text", encoding_format: "float" });
    const entries = await activityCount(api.core, 10);
    const ok = entries.find((entry) => entry.path === "/v1/embeddings" && entry.status === 200)!;
    expect(ok).toMatchObject({ method: "POST", model: api.model.name, stream: false, error: null, outputTokens: null });
    expect(ok.inputTokens).toBeGreaterThan(0);
    expect(entries.some((entry) => entry.path === "/v1/embeddings" && entry.status === 400)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain("recorded text");
  });
});
