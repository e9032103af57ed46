import { getLlama, InputLookupTokenPredictor, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complete } from "../../../scripts/bench-speculative.js";
import { storiesModel, tinyLlamaModel } from "../../../test/fixtures/paths.js";
import { AppError } from "../../contract/index.js";
import { createTokenPredictor, openDraftSequence, parseSpeculativeOption } from "./speculative.js";

describe("the speculative decoding option", () => {
  it("accepts off, prompt lookup with its settings, and a draft model; absent means off", () => {
    expect(parseSpeculativeOption(undefined)).toEqual({ mode: "off" });
    expect(parseSpeculativeOption({ mode: "prompt-lookup" })).toEqual({ mode: "prompt-lookup" });
    expect(parseSpeculativeOption({ mode: "prompt-lookup", patternMin: 2, patternMax: 0, predictMin: 1, predictMax: 8 })).toEqual({
      mode: "prompt-lookup",
      patternMin: 2,
      patternMax: 0,
      predictMin: 1,
      predictMax: 8,
    });
    expect(parseSpeculativeOption({ mode: "draft", modelPath: " /models/small.gguf ", maxTokens: 8, minConfidence: 0.5 })).toEqual({
      mode: "draft",
      modelPath: "/models/small.gguf",
      maxTokens: 8,
      minConfidence: 0.5,
    });
  });

  it.each([
    [{ mode: "medusa" }, /mode/],
    [{ mode: "prompt-lookup", lookahead: 3 }, /lookahead/],
    [{ mode: "prompt-lookup", patternMin: 0 }, /patternMin/],
    [{ mode: "prompt-lookup", patternMin: 4, patternMax: 2 }, /patternMax must be 0/],
    [{ mode: "prompt-lookup", predictMin: 5 }, /predictMax must be at least predictMin/],
    [{ mode: "prompt-lookup", predictMax: 1.5 }, /predictMax/],
    [{ mode: "prompt-lookup", predictMax: 10_000 }, /predictMax/],
    [{ mode: "draft" }, /modelPath/],
    [{ mode: "draft", modelPath: "   " }, /modelPath/],
    [{ mode: "draft", modelPath: "/m.gguf", minConfidence: 1.5 }, /minConfidence/],
    [{ mode: "draft", modelPath: "/m.gguf", minTokens: 9, maxTokens: 4 }, /maxTokens must be at least minTokens/],
    ["prompt-lookup", /speculative/],
  ])("refuses %j with INVALID_INPUT naming the problem", (input, reason) => {
    let error: unknown;
    try {
      parseSpeculativeOption(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "INVALID_INPUT" });
    expect((error as AppError).message).toMatch(/speculative decoding option is not valid/);
    expect((error as AppError).message).toMatch(reason);
  });

  it("makes node-llama-cpp's predictors with the settings given; none when off; a draft needs its sequence", () => {
    expect(createTokenPredictor({ mode: "off" })).toBeUndefined();
    const lookup = createTokenPredictor({ mode: "prompt-lookup", patternMin: 2, patternMax: 5, predictMin: 2, predictMax: 6 });
    expect(lookup).toBeInstanceOf(InputLookupTokenPredictor);
    const predictor = lookup as InputLookupTokenPredictor;
    expect([predictor.patternMinLength, predictor.patternMaxLength, predictor.predictionMinLength, predictor.predictionMaxLength]).toEqual([2, 5, 2, 6]);
    // node-llama-cpp's own defaults where nothing is set.
    const plain = createTokenPredictor({ mode: "prompt-lookup" }) as InputLookupTokenPredictor;
    expect([plain.patternMinLength, plain.predictionMaxLength]).toEqual([1, 3]);
    expect(() => createTokenPredictor({ mode: "draft", modelPath: storiesModel })).toThrow(/draft model loaded first/);
  });
});

describe("speculative decoding with a real model (stories260K, temperature 0)", () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;
  let prompt: string;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: storiesModel });
    context = await model.createContext({ contextSize: 512, threads: 1, sequences: 1 });
    // The copy task: the model's own story in the prompt, and the same opening again.
    const story = "Once upon a time" + (await complete(context, "Once upon a time", { mode: "off" }, 120)).text;
    prompt = `${story}\n\nThe same story, told again:\n\nOnce upon a time`;
  }, 60_000);
  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
  });

  it("prompt lookup writes exactly what plain decoding writes, and some of its guesses are validated", async () => {
    const off = await complete(context, prompt, { mode: "off" }, 120);
    const lookup = await complete(context, prompt, { mode: "prompt-lookup" }, 120);
    expect(off.tokens).toBeGreaterThan(10);
    expect(lookup.text).toBe(off.text);
    expect(lookup.stats.validated).toBeGreaterThan(0);
    expect(off.stats).toMatchObject({ validated: 0, refuted: 0 });
  }, 60_000);

  it("a draft model (here the model itself) changes nothing in the text either", async () => {
    const draft = await openDraftSequence(llama, model, storiesModel, { contextSize: 512, threads: 1 });
    try {
      const off = await complete(context, prompt, { mode: "off" }, 60);
      const drafted = await complete(context, prompt, { mode: "draft", modelPath: storiesModel, minConfidence: 0 }, 60, draft.sequence);
      expect(drafted.text).toBe(off.text);
      expect(drafted.stats.validated + drafted.stats.refuted).toBeGreaterThan(0);
    } finally {
      await draft.dispose();
    }
  }, 60_000);

  it("refuses a draft model with another tokenizer, and frees it", async () => {
    const error = await openDraftSequence(llama, model, tinyLlamaModel, { contextSize: 256, threads: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/does not share the chosen model's tokenizer/) });
  }, 60_000);
});
