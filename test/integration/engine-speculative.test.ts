import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, type GenerateRequest, type PromptSource } from "../../electron/core/engine/engine.js";
import { predictionStats } from "../../electron/core/engine/speculative.js";
import { engineRequest } from "../fixtures/engine-request.js";
import { storiesModel } from "../fixtures/paths.js";

/**
 * Speculative decoding as a load option of the pool's sequences (node-llama-cpp's token predictors, made by
 * speculative.ts): greedy output is the same with and without it, and the predictor did run (its counts moved).
 */
const story =
  "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big red ball. " +
  "She wanted to play with the ball, but it was too high. Lily asked her mom to help her get the ball.";

function prompt(): PromptSource {
  return { systemPrompt: "You rewrite stories.", branch: [{ id: "u1", role: "user", content: `Rewrite this story: ${story}`, reasoning: "", status: "complete" }] };
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(prompt(), { contextSize: 1024, maxOutputTokens: 80, ...overrides });
}

describe("speculative decoding in the engine", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it("prompt lookup and a draft model write the same text as plain decoding at temperature 0", async () => {
    const plain = await engine.generate(request({ conversationId: "plain" }));
    expect(predictionStats(engine.currentSequence!).validated + predictionStats(engine.currentSequence!).refuted).toBe(0);

    const lookup = await engine.generate(request({ conversationId: "lookup", loadOptions: { speculative: { mode: "prompt-lookup" } } }));
    expect(lookup.loadMs).toBeGreaterThan(0); // a different load option: reloaded with predictors on its sequences
    const lookupStats = predictionStats(engine.currentSequence!);
    expect(lookup.text).toBe(plain.text);
    expect(lookup.stats.outputTokens).toBe(plain.stats.outputTokens);
    expect(lookupStats.validated + lookupStats.refuted).toBeGreaterThan(0);

    // The model as its own draft: the same tokenizer (drafting at any confidence: this tiny model is rarely sure).
    const draft = await engine.generate(request({ conversationId: "draft", loadOptions: { speculative: { mode: "draft", modelPath: storiesModel, minConfidence: 0 } } }));
    const draftStats = predictionStats(engine.currentSequence!);
    expect(draft.text).toBe(plain.text);
    expect(draftStats.validated).toBeGreaterThan(0);
    console.log(
      `[speculative] ${plain.stats.outputTokens} tokens; prompt lookup validated ${lookupStats.validated}, refuted ${lookupStats.refuted}; ` +
        `self-draft validated ${draftStats.validated}, refuted ${draftStats.refuted}`,
    );
  });

  it("refuses a bad speculative option with a clear error and stays usable", async () => {
    const error = await engine
      .generate(request({ conversationId: "bad", loadOptions: { speculative: { mode: "draft", modelPath: "/nonexistent/draft.gguf" } } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/MODEL_FILE_MISSING|MODEL_LOAD_FAILED|NOT_FOUND/) });
    const ok = await engine.generate(request({ conversationId: "after", maxOutputTokens: 4 }));
    expect(ok.stats.outputTokens).toBeGreaterThan(0);
  });
});
