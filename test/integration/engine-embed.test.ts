import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { embedLimits } from "../../electron/core/engine/embed.js";
import { Engine, type PromptSource } from "../../electron/core/engine/engine.js";
import { engineRequest, stories } from "../fixtures/engine-request.js";
import { tinyLlamaModel } from "../fixtures/paths.js";

const tiny = { id: "tiny", path: tinyLlamaModel, name: "llama-2-tiny-random" };

function promptOf(turns: { role: "user" | "assistant"; content: string }[]): PromptSource {
  return {
    systemPrompt: "You tell short stories.",
    branch: turns.map((t, i) => ({ id: `m${i}`, role: t.role, content: t.content, reasoning: "", status: "complete" as const })),
  };
}

async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("engine embeddings", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it("gives one vector of the model's embedding size per text: the same text the same vector, another text another", async () => {
    const texts = ["Once upon a time there was a little cat.", "The dog ran to the park.", "Once upon a time there was a little cat."];
    const result = await engine.embed({ model: stories, texts });
    const size = engine.currentModel!.embeddingVectorSize;
    expect(size).toBeGreaterThan(0);
    expect(result.dimensions).toBe(size);
    expect(result.vectors).toHaveLength(3);
    for (const vector of result.vectors) {
      expect(vector).toHaveLength(size);
      expect(vector.every((x) => Number.isFinite(x))).toBe(true);
    }
    expect(result.vectors[2]).toEqual(result.vectors[0]);
    expect(result.vectors[1]).not.toEqual(result.vectors[0]);
    // Each text's tokens plus the model's beginning (and end) token.
    const model = engine.currentModel!;
    const bare = texts.reduce((sum, text) => sum + model.tokenize(text).length, 0);
    expect(result.tokens).toBeGreaterThan(bare);
    expect(result.tokens).toBeLessThanOrEqual(bare + 2 * texts.length);
    // A second call repeats the first exactly (its context is a fresh one).
    const again = await engine.embed({ model: stories, texts: [texts[1]!] });
    expect(again.vectors[0]).toEqual(result.vectors[1]);
  });

  it("refuses empty input, too many texts and too long ones with a clear error, and stays usable", async () => {
    expect((await refusal(() => engine.embed({ model: stories, texts: [] }))).message).toMatch(/at least one text/);
    expect((await refusal(() => engine.embed({ model: stories, texts: ["ok", "  "] }))).message).toMatch(/Text 1 to embed is empty/);
    const many = Array.from({ length: embedLimits.maxTexts + 1 }, (_, i) => `text ${i}`);
    expect((await refusal(() => engine.embed({ model: stories, texts: many }))).message).toMatch(/Too many texts/);
    const huge = "cat ".repeat(embedLimits.maxTextChars);
    expect((await refusal(() => engine.embed({ model: stories, texts: [huge] }))).code).toBe("INVALID_INPUT");
    // Within the characters but past the model's trained context (2048 tokens).
    const long = "the cat sat on the mat and ".repeat(400);
    const tooLong = await refusal(() => engine.embed({ model: stories, texts: ["short", long] }));
    expect(tooLong.code).toBe("INVALID_INPUT");
    expect(tooLong.message).toMatch(/Text 1 to embed is too long for stories260K: \d+ tokens/);
    expect((await engine.embed({ model: stories, texts: ["still here"] })).vectors).toHaveLength(1);
  });

  it("leaves a chat's cached tokens in place: the follow-up after an embed call evaluates only what is new", async () => {
    const first = [{ role: "user" as const, content: "Tell me a story about a fox who lived in a wood near the river." }];
    const run = async (embedBetween: boolean) => {
      const chat = new Engine({ threads: 1 });
      try {
        const key = `c-${embedBetween}`;
        const turn1 = await chat.generate(engineRequest(promptOf(first), { conversationId: key, maxOutputTokens: 12 }));
        if (embedBetween) await chat.embed({ model: stories, texts: ["A fox in the wood.", "The river was cold."] });
        const second = [...first, { role: "assistant" as const, content: turn1.text }, { role: "user" as const, content: "What did the fox eat?" }];
        return await chat.generate(engineRequest(promptOf(second), { conversationId: key, maxOutputTokens: 12 }));
      } finally {
        await chat.dispose();
      }
    };
    const plain = await run(false);
    const embedded = await run(true);
    expect(embedded.stats.evaluatedInputTokens).toBe(plain.stats.evaluatedInputTokens);
    expect(embedded.context.usedTokens - embedded.stats.evaluatedInputTokens).toBeGreaterThan(20);
    expect(embedded.text).toBe(plain.text);
  });

  it("loads the requested model when another one is loaded, as a load would", async () => {
    await engine.load(tiny, 512);
    expect(engine.loadedModelId).toBe("tiny");
    const result = await engine.embed({ model: stories, texts: ["a cat"] });
    expect(engine.loadedModelId).toBe("stories");
    expect(result.vectors[0]).toHaveLength(engine.currentModel!.embeddingVectorSize);
  });
});
