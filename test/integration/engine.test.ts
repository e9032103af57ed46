import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { Engine, type GenerateRequest, type PromptSource } from "../../electron/core/engine/engine.js";
import { engineRequest, stories } from "../fixtures/engine-request.js";
import { tinyLlamaModel } from "../fixtures/paths.js";

const tiny = { id: "tiny", path: tinyLlamaModel, name: "llama-2-tiny-random" };

function requestCallbacks() {
  return { temperature: 0, signal: new AbortController().signal, onTextDelta: () => {}, onReasoningDelta: () => {} };
}

type ChatTurn = { role: "user" | "assistant"; content: string };

/** The engine's prompt source from plain turns (ids in order). */
function promptOf(systemPrompt: string, turns: ChatTurn[]): PromptSource {
  return { systemPrompt, branch: turns.map((t, i) => ({ id: `m${i}`, role: t.role, content: t.content, reasoning: "", status: "complete" })) };
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(promptOf("You tell short stories.", [{ role: "user", content: "Once upon a time there was a little cat" }]), overrides);
}

describe("engine on real models", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it("loads a model and streams an answer with stats", async () => {
    const deltas: string[] = [];
    const result = await engine.generate(request({ onTextDelta: (t) => deltas.push(t) }));
    expect(engine.loadedModelId).toBe("stories");
    expect(result.loadMs).toBeGreaterThan(0);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result.stats.outputTokens).toBeGreaterThan(0);
    expect(result.stats.outputTokens).toBeLessThanOrEqual(24);
    expect(result.stats.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.stats.evaluatedInputTokens).toBeGreaterThan(5);
    expect(["maxTokens", "eogToken"]).toContain(result.stopReason);
  });

  it("stops mid-stream when aborted and keeps the partial answer", async () => {
    const controller = new AbortController();
    let chunks = 0;
    const result = await engine.generate(
      request({
        maxOutputTokens: 400,
        signal: controller.signal,
        onTextDelta: () => {
          chunks += 1;
          if (chunks === 3) controller.abort();
        },
      }),
    );
    expect(result.stopReason).toBe("abort");
    expect(result.stats.outputTokens).toBeGreaterThanOrEqual(3);
    expect(result.stats.outputTokens).toBeLessThan(400);
    // The engine is still usable after a stop.
    const next = await engine.generate(request({ maxOutputTokens: 5 }));
    expect(next.stats.outputTokens).toBeGreaterThan(0);
  });

  it("refuses a generation whose signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(engine.generate(request({ signal: controller.signal }))).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("reuses the KV cache on the second turn: fewer tokens evaluated than from scratch", async () => {
    const longSystem = "You are a careful assistant. ".repeat(12);
    const first = await engine.generate(
      request({ model: tiny, prompt: promptOf(longSystem, [{ role: "user", content: "Tell me about the sea." }]) }),
    );
    const secondTurns = [
      { role: "user" as const, content: "Tell me about the sea." },
      { role: "assistant" as const, content: first.text },
      { role: "user" as const, content: "And the mountains?" },
    ];
    const second = await engine.generate(request({ model: tiny, prompt: promptOf(longSystem, secondTurns) }));
    expect(second.loadMs).toBeNull(); // same model and context: not reloaded

    // The same history evaluated from an empty cache, for comparison.
    await engine.unload();
    const fresh = await engine.generate(request({ model: tiny, prompt: promptOf(longSystem, secondTurns) }));
    expect(fresh.loadMs).toBeGreaterThan(0);
    expect(second.stats.evaluatedInputTokens).toBeGreaterThan(0);
    expect(second.stats.evaluatedInputTokens).toBeLessThan(fresh.stats.evaluatedInputTokens / 2);
  });

  it("starts from an empty cache when another conversation takes the model", async () => {
    const turns = [{ role: "user" as const, content: "A story about a dog and a ball" }];
    const a = await engine.generate(request({ model: tiny, conversationId: "a", prompt: promptOf("You tell short stories.", turns) }));
    const b = await engine.generate(request({ model: tiny, conversationId: "b", prompt: promptOf("You tell short stories.", turns) }));
    expect(b.stats.evaluatedInputTokens).toBe(a.stats.evaluatedInputTokens);
    expect(engine.currentSequence!.contextTokens.length).toBeLessThanOrEqual(
      b.stats.evaluatedInputTokens + b.stats.outputTokens,
    );
  });

  /** Twelve question/answer turns about 20-30 tokens each, then a new question: far more than 256 tokens. */
  function longTurns(): ChatTurn[] {
    const turns: ChatTurn[] = [];
    for (let i = 0; i < 12; i++) {
      turns.push({ role: "user", content: `Question ${i + 1}: what should I pack for a hike of ${i + 3} hours in the mountains?` });
      turns.push({ role: "assistant", content: `Water, a warm layer, a rain jacket and a map for ${i + 3} hours.` });
    }
    turns.push({ role: "user", content: "And if it starts to snow?" });
    return turns;
  }

  it("builds the prompt within the context: a long branch loses whole old turns, and the result says how many", async () => {
    const result = await engine.generate(
      request({ model: tiny, conversationId: "long", contextSize: 256, maxOutputTokens: 16, prompt: promptOf("You are a careful guide.", longTurns()) }),
    );
    const { context } = result;
    expect(context.budgetTokens).toBe(256 - 16);
    expect(context.branchTokens).toBeGreaterThan(256);
    expect(context.usedTokens).toBeLessThanOrEqual(context.budgetTokens);
    expect(context.dropped.count).toBeGreaterThan(0);
    expect(context.dropped.count % 2).toBe(0);
    expect(context.dropped.firstKeptMessageId).toBe(`m${context.dropped.count}`);
    expect(context.notice).toBe(`The first ${context.dropped.count} messages are no longer in the model's memory.`);
    // The model read the built prompt as it is (no context shift behind it): the prompt, then the answer's tokens.
    const held = engine.currentSequence!.contextTokens.length;
    expect(held).toBeGreaterThanOrEqual(context.usedTokens);
    expect(held).toBeLessThanOrEqual(context.usedTokens + result.stats.outputTokens);
  });

  it("measures the context meter with the model's tokenizer, loaded or not, as a send would use the context", async () => {
    const request = { model: tiny, contextSize: 256, maxOutputTokens: 16, prompt: promptOf("You are a careful guide.", longTurns()) };
    await engine.unload();
    const unloaded = await engine.measureContext(request);
    expect(engine.loadedModelId).toBeNull(); // only the vocabulary was read, and freed
    const answer = await engine.generate({ ...request, ...requestCallbacks(), conversationId: "meter" });
    const loaded = await engine.measureContext(request);
    expect(loaded).toEqual(unloaded);
    expect(loaded).toMatchObject({
      level: "full",
      contextSize: 256,
      budgetTokens: 240,
      usedTokens: answer.context.usedTokens,
      branchTokens: answer.context.branchTokens,
      droppedMessages: answer.context.dropped.count,
      notice: answer.context.notice,
    });
  });

  it("past the limit, a start kept from the previous answer lets the next turn reuse the KV cache", async () => {
    /** Two sends in a row on a full context: the second adds one turn to the first's branch. */
    const twoSends = async (sticky: boolean) => {
      const turns = longTurns();
      const options = (keptFrom: string | null) => (sticky ? { keptFrom, headroom: 0.25 } : {});
      const base = { model: tiny, contextSize: 256, maxOutputTokens: 16, ...requestCallbacks() };
      await engine.unload();
      const first = await engine.generate({ ...base, conversationId: `sticky-${sticky}`, prompt: { ...promptOf("You are a careful guide.", turns), ...options(null) } });
      const next = [...turns, { role: "assistant" as const, content: "Stay low, keep warm, and turn back if you cannot see the path; the mountain will still be there tomorrow." }, { role: "user" as const, content: "And what should I do if thick fog comes in while I am on the ridge?" }];
      const keptFrom = first.context.dropped.firstKeptMessageId;
      const second = await engine.generate({ ...base, conversationId: `sticky-${sticky}`, prompt: { ...promptOf("You are a careful guide.", next), ...options(keptFrom) } });
      return { first, second };
    };
    const shifting = await twoSends(false);
    const sticky = await twoSends(true);
    // Without a kept start, each send drops one more turn: the prompt's beginning moves and most of it is evaluated again.
    expect(shifting.second.context.dropped.firstKeptMessageId).not.toBe(shifting.first.context.dropped.firstKeptMessageId);
    // With it, the second send keeps the same start and evaluates little more than the new turn.
    expect(sticky.second.context.dropped.firstKeptMessageId).toBe(sticky.first.context.dropped.firstKeptMessageId);
    expect(sticky.second.context.usedTokens).toBeLessThanOrEqual(sticky.second.context.budgetTokens);
    expect(sticky.second.stats.evaluatedInputTokens).toBeLessThan(shifting.second.stats.evaluatedInputTokens / 2);
    console.log(
      `[context] second send on a full 256-token context: evaluated ${shifting.second.stats.evaluatedInputTokens} of ${shifting.second.context.usedTokens} prompt tokens ` +
        `when the start moves, ${sticky.second.stats.evaluatedInputTokens} of ${sticky.second.context.usedTokens} with the start kept (headroom 0.25)`,
    );
  });

  it("with stop-and-ask, drops nothing and fails with CONTEXT_FULL saying what would go", async () => {
    const error = await engine
      .generate(request({ model: tiny, conversationId: "long", contextSize: 256, maxOutputTokens: 16, prompt: { ...promptOf("You are a careful guide.", longTurns()), overflow: "stop-and-ask" } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "CONTEXT_FULL", message: expect.stringMatching(/Drop the first \d+ messages/) });
  });

  it("fails a message too long for the context with CONTEXT_FULL instead of cutting it", async () => {
    const error = await engine
      .generate(request({ model: tiny, contextSize: 256, prompt: promptOf("", [{ role: "user", content: "Summarise this sentence. ".repeat(80) }]) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONTEXT_FULL", message: expect.stringMatching(/^Your message, with the system prompt, needs \d+ tokens, but this model's context has room for 232/) });
  });

  it("switching model unloads the previous one, and unload frees it", async () => {
    await engine.load(stories, 512);
    const first = engine.currentModel!;
    await engine.load(tiny, 512);
    expect(first.disposed).toBe(true);
    const second = engine.currentModel!;
    expect(engine.loadedModelId).toBe("tiny");
    await engine.unload();
    expect(second.disposed).toBe(true);
    expect(engine.loadedModelId).toBeNull();
    expect(engine.currentSequence).toBeNull();
  });

  it("refuses to load a model that needs more memory than the machine has, before loading", async () => {
    const small = new Engine({ threads: 1, memory: { totalRamBytes: 64 * 1024, freeRamBytes: 64 * 1024 } });
    try {
      const error = await small.load(stories, 512).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("INSUFFICIENT_MEMORY");
      expect((error as AppError).message).toMatch(/needs about .* memory/);
      expect(small.loadedModelId).toBeNull();
      // Still usable afterwards with a model that fits the real machine.
    } finally {
      await small.dispose();
    }
    const result = await engine.generate(request({ maxOutputTokens: 3 }));
    expect(result.stats.outputTokens).toBeGreaterThan(0);
  });

  it("a missing model file gives a clear error and the engine stays usable", async () => {
    const error = await engine
      .generate(request({ model: { id: "gone", path: "/nonexistent/model.gguf", name: "Gone" } }))
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe("MODEL_FILE_MISSING");
    const result = await engine.generate(request({ maxOutputTokens: 3 }));
    expect(result.stats.outputTokens).toBeGreaterThan(0);
  });
});
