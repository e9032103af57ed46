import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, type GenerateRequest, type GenerateResult, type PromptSource } from "../../electron/core/engine/engine.js";
import { engineRequest, stories } from "../fixtures/engine-request.js";
import { tinyLlamaModel } from "../fixtures/paths.js";

const tiny = { id: "tiny", path: tinyLlamaModel, name: "llama-2-tiny-random" };
const SYSTEM = "You are a careful assistant who tells short stories about animals. ".repeat(4);

type Turn = { role: "user" | "assistant"; content: string };

function promptOf(turns: Turn[]): PromptSource {
  return { systemPrompt: SYSTEM, branch: turns.map((t, i) => ({ id: `m${i}`, role: t.role, content: t.content, reasoning: "", status: "complete" })) };
}

function request(conversationId: string, turns: Turn[], overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(promptOf(turns), { model: tiny, conversationId, maxOutputTokens: 12, ...overrides });
}

/** Turn 1 and turn 2 of a conversation: turn 2 is turn 1, its answer and a new question. */
function turns(topic: string) {
  const first: Turn[] = [{ role: "user", content: `Tell me a story about a ${topic}.` }];
  const second = (answer: GenerateResult): Turn[] => [...first, { role: "assistant", content: answer.text }, { role: "user", content: `And what did the ${topic} eat?` }];
  return { first, second };
}

describe("engine sequence pool", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  /** A turn 1, B turn 1, then A turn 2, on an engine keeping at most `maxSequences` sequences. */
  async function switchBack(maxSequences: number) {
    const switching = new Engine({ threads: 1, maxSequences });
    try {
      const a = turns("cat");
      const b = turns("dog");
      const a1 = await switching.generate(request(`a-${maxSequences}`, a.first));
      await switching.generate(request(`b-${maxSequences}`, b.first));
      const a2 = await switching.generate(request(`a-${maxSequences}`, a.second(a1)));
      // The same turn 2 without a switch in between: the warm figure.
      const warm1 = await switching.generate(request(`w-${maxSequences}`, a.first));
      const warm2 = await switching.generate(request(`w-${maxSequences}`, a.second(warm1)));
      return { a2, warm2, sequences: switching.loadedInfo()!.sequences };
    } finally {
      await switching.dispose();
    }
  }

  it("switching between two conversations keeps both caches warm: A's turn 2 after B evaluates only the new tokens", async () => {
    const pooled = await switchBack(4);
    const single = await switchBack(1);
    expect(pooled.sequences).toBe(4);
    expect(single.sequences).toBe(1);
    expect(pooled.a2.stats.evaluatedInputTokens).toBe(pooled.warm2.stats.evaluatedInputTokens);
    // With one sequence (the engine before the pool), B's turn cleared A's cache: all of A's prompt again.
    expect(single.a2.stats.evaluatedInputTokens).toBeGreaterThan(pooled.a2.stats.evaluatedInputTokens * 3);
    expect(single.a2.context.usedTokens - pooled.a2.stats.evaluatedInputTokens).toBeGreaterThan(40);
  });

  it("evicts the least recently used conversation when all sequences are taken, clearing its sequence first", async () => {
    const small = new Engine({ threads: 1, maxSequences: 2 });
    try {
      await small.generate(request("x", turns("fox").first));
      const fresh = await small.generate(request("y", turns("owl").first));
      await small.generate(request("x", turns("fox").first, { maxOutputTokens: 1 })); // x is now the most recent
      await small.generate(request("z", turns("bee").first));
      expect(small.cachedKeys()).toEqual(["x", "z"]);
      // z took y's sequence: it holds z's prompt and answer only, nothing of y's.
      const held = small.currentModel!.detokenize(small.currentSequence!.contextTokens, true);
      expect(held).toContain("bee");
      expect(held).not.toContain("owl");
      // y starts from an empty cache again, as on its first turn.
      const again = await small.generate(request("y", turns("owl").first));
      expect(again.stats.evaluatedInputTokens).toBe(fresh.stats.evaluatedInputTokens);
      expect(small.cachedKeys()).toEqual(["z", "y"]);
    } finally {
      await small.dispose();
    }
  });

  it("a cache key other than the conversation keeps its own cache (an API client's session)", async () => {
    const t = turns("horse");
    const s1 = await engine.generate(request("conv", t.first, { cacheKey: "session-1" }));
    await engine.generate(request("conv", turns("goat").first, { cacheKey: "session-2" }));
    const s1b = await engine.generate(request("conv", t.second(s1), { cacheKey: "session-1" }));
    expect(s1b.stats.evaluatedInputTokens).toBeLessThan(s1b.context.usedTokens / 3);
    expect(engine.cachedKeys()).toEqual(expect.arrayContaining(["session-1", "session-2"]));
  });

  it("a smaller context than the loaded one uses the loaded model (budgeting the asked size); a larger one reloads", async () => {
    await engine.load(tiny, 1024);
    const smaller = await engine.generate(request("ctx", turns("mouse").first, { contextSize: 256, maxOutputTokens: 16 }));
    expect(smaller.loadMs).toBeNull();
    expect(smaller.context.budgetTokens).toBe(256 - 16);
    expect(engine.loadedInfo()!.contextSize).toBeGreaterThanOrEqual(1024);
    const larger = await engine.generate(request("ctx", turns("mouse").first, { contextSize: 2048 }));
    expect(larger.loadMs).toBeGreaterThan(0);
    expect(engine.loadedInfo()!.contextSize).toBeGreaterThanOrEqual(2048);
  });

  it("load options are explicit: one set differently reloads; a KV cache type the model cannot use is a clear error", async () => {
    await engine.load(tiny, 2048, { flashAttention: true, gpuLayers: 0 });
    const same = await engine.generate(request("kv", turns("frog").first, { contextSize: 2048 }));
    expect(same.loadMs).toBeNull(); // no option asked for: the loaded ones serve
    const sameAgain = await engine.generate(request("kv", turns("frog").first, { contextSize: 2048, loadOptions: { flashAttention: true } }));
    expect(sameAgain.loadMs).toBeNull();
    const noFlash = await engine.generate(request("kv", turns("frog").first, { contextSize: 2048, loadOptions: { flashAttention: false } }));
    expect(noFlash.loadMs).toBeGreaterThan(0);
    expect(noFlash.text).toBe(same.text);
    // The test models' attention heads are too small for a quantized KV cache: llama.cpp refuses, the engine says so.
    const error = await engine
      .generate(request("kv", turns("frog").first, { contextSize: 2048, loadOptions: { flashAttention: true, kvCacheType: "q8_0" } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MODEL_LOAD_FAILED", message: expect.stringMatching(/cannot run with a q8_0 KV cache here\. Use the default/) });
    expect(engine.loadedModelId).toBeNull();
    const after = await engine.generate(request("kv", turns("frog").first, { contextSize: 2048 }));
    expect(after.text).toBe(same.text);
  });

  it("keeps fewer sequences when memory is short (node-llama-cpp's estimates), never fewer than one", async () => {
    await engine.load(stories, 2048);
    const roomy = engine.loadedInfo()!;
    expect(roomy.sequences).toBe(4);
    const insights = engine.currentModel!.fileInsights;
    const context = (sequences: number) => insights.estimateContextResourceRequirementsV2({ contextSize: 2048, modelGpuLayers: 0, sequences });
    const weights = (await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 })).cpuRam;
    // The first sequence beside the weights, and free RAM of twice what a second sequence adds (the engine lends
    // extra sequences half of what is left), not a third.
    const base = weights + (await context(1)).cpuRam;
    const extra = async (n: number) => base + 2 * ((await context(n)).cpuRam - (await context(1)).cpuRam);
    const two = await extra(2);
    const three = await extra(3);
    const short = new Engine({ threads: 1, memory: { totalRamBytes: 64 * 1024 ** 3, freeRamBytes: Math.round((two + three) / 2) } });
    try {
      await short.load(stories, 2048);
      expect(short.loadedInfo()!.sequences).toBe(2);
      expect(short.loadedInfo()!.memoryBytes).toBeLessThan(roomy.memoryBytes);
    } finally {
      await short.dispose();
    }
  });
});
