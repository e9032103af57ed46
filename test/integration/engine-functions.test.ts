import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { Engine, type GenerateRequest, type PromptSource } from "../../electron/core/engine/engine.js";
import { engineRequest } from "../fixtures/engine-request.js";

/**
 * Functions, JSON-schema grammars and stop strings on the real stories260K model. The model only knows children's
 * stories, so these tests check what the wiring guarantees whatever it writes: the grammar makes the output
 * parse and match; a required call is parsed into a name among the offered ones and params matching their schema;
 * the functions are in the prompt the model read.
 */
function prompt(text: string): PromptSource {
  return { systemPrompt: "You tell short stories.", branch: [{ id: "u1", role: "user", content: text, reasoning: "", status: "complete" }] };
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(prompt("Once upon a time there was a little cat"), overrides);
}

const moodSchema = {
  type: "object",
  title: "A mood",
  properties: {
    mood: { enum: ["happy", "sad", "sleepy"] },
    hungry: { type: "boolean" },
    name: { type: "string", maxLength: 8 },
  },
  required: ["mood", "hungry", "name"],
  additionalProperties: false,
};

const weatherFunctions = {
  getWeather: {
    description: "Tells the weather in a city",
    params: { type: "object", properties: { city: { enum: ["Paris", "Rome", "Oslo"] }, days: { enum: [1, 2, 3] } }, required: ["city", "days"] },
  },
  getTime: { description: "Tells the time of day" },
};

describe("engine functions, JSON schema and stop strings", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it("writes JSON that parses and matches the schema", async () => {
    for (const conversationId of ["json-1", "json-2"]) {
      const result = await engine.generate(request({ conversationId, jsonSchema: moodSchema, maxOutputTokens: 200, temperature: conversationId === "json-1" ? 0 : 1.2 }));
      const value = JSON.parse(result.text) as Record<string, unknown>;
      expect(Object.keys(value).sort()).toEqual(["hungry", "mood", "name"]);
      expect(["happy", "sad", "sleepy"]).toContain(value.mood);
      expect(typeof value.hungry).toBe("boolean");
      expect(typeof value.name).toBe("string");
      expect((value.name as string).length).toBeLessThanOrEqual(8);
      expect(result.stopReason).not.toBe("maxTokens");
    }
  });

  it("refuses a schema it cannot enforce with a clear INVALID_INPUT, and stays usable", async () => {
    const cases: [unknown, RegExp][] = [
      [{ type: "strnig" }, /unknown type "strnig"/],
      [{ type: "string", pattern: "^a+$" }, /keyword "pattern" is not supported/],
      [{ type: "object", properties: { a: { $ref: "#/$defs/missing" } } }, /reference "#\/\$defs\/missing"/],
      ["not a schema", /must be an object/],
    ];
    for (const [schema, message] of cases) {
      const error = await engine.generate(request({ jsonSchema: schema as Record<string, unknown> })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(message) });
    }
    const both = await engine.generate(request({ jsonSchema: moodSchema, functions: weatherFunctions })).catch((e: unknown) => e);
    expect(both).toMatchObject({ code: "INVALID_INPUT" });
    const badName = await engine.generate(request({ functions: { "no spaces please": {} } })).catch((e: unknown) => e);
    expect(badName).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/function name/) });
    const ok = await engine.generate(request({ maxOutputTokens: 4 }));
    expect(ok.stats.outputTokens).toBeGreaterThan(0);
  });

  // The functions' documentation is some 700 of this tiny-vocabulary model's tokens: these tests use its full context.
  it("puts the functions in the prompt the model reads, through the model's chat wrapper", async () => {
    await engine.generate(request({ conversationId: "fn-prompt", contextSize: 2048, functions: weatherFunctions, maxOutputTokens: 4 }));
    const held = engine.currentModel!.detokenize(engine.currentSequence!.contextTokens, true);
    expect(held).toContain("getWeather");
    expect(held).toContain("Tells the weather in a city");
    expect(held).toContain("getTime");
    expect(held).toContain("Once upon a time there was a little cat");
  });

  it("a required call ends the answer with a parsed call to an offered function, params matching its schema", async () => {
    for (const temperature of [0, 1]) {
      const result = await engine.generate(
        request({ conversationId: `fn-call-${temperature}`, contextSize: 2048, temperature, functions: weatherFunctions, functionCall: "required", maxOutputTokens: 120 }),
      );
      expect(result.stopReason).toBe("functionCalls");
      expect(result.stats.finishReason).toBe("other");
      expect(result.functionCalls?.length).toBeGreaterThan(0);
      for (const call of result.functionCalls!) {
        expect(Object.keys(weatherFunctions)).toContain(call.name);
        if (call.name === "getWeather") {
          const params = call.params as { city: string; days: number };
          expect(["Paris", "Rome", "Oslo"]).toContain(params.city);
          expect([1, 2, 3]).toContain(params.days);
        }
      }
    }
  });

  it("a required call without functions is refused", async () => {
    const error = await engine.generate(request({ functionCall: "required" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/no functions/) });
  });

  it("stops at a stop string, leaving it out of the answer", async () => {
    const free = await engine.generate(request({ conversationId: "stop-free", maxOutputTokens: 40 }));
    // A word from the middle of what the model writes greedily: with it as a stop string, the answer ends before it.
    const words = free.text.split(/\s+/).filter((w) => /^[a-z]{3,}$/.test(w));
    const stopWord = words[Math.floor(words.length / 2)]!;
    expect(stopWord).toBeDefined();
    const cut = free.text.indexOf(stopWord);
    const stopped = await engine.generate(request({ conversationId: "stop-cut", maxOutputTokens: 40, stop: [stopWord, "never-written-xyz"] }));
    expect(stopped.stopReason).toBe("customStopTrigger");
    expect(stopped.stats.finishReason).toBe("stop");
    expect(stopped.text).not.toContain(stopWord);
    expect(stopped.text.trim()).toBe(free.text.slice(0, cut).trim());
    const error = await engine.generate(request({ stop: [""] })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_INPUT" });
  });
});
