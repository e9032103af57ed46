import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../electron/contract/index.js";
import { Engine, type GenerateRequest } from "../../electron/core/engine/engine.js";
import { storiesModel, tinyLlamaModel } from "../fixtures/paths.js";

const stories = { id: "stories", path: storiesModel, name: "stories260K" };
const tiny = { id: "tiny", path: tinyLlamaModel, name: "llama-2-tiny-random" };

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: stories,
    conversationId: "c1",
    contextSize: 512,
    systemPrompt: "You tell short stories.",
    turns: [{ role: "user", content: "Once upon a time there was a little cat" }],
    temperature: 0,
    maxOutputTokens: 24,
    signal: new AbortController().signal,
    onTextDelta: () => {},
    onReasoningDelta: () => {},
    ...overrides,
  };
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
      request({ model: tiny, systemPrompt: longSystem, turns: [{ role: "user", content: "Tell me about the sea." }] }),
    );
    const secondTurns = [
      { role: "user" as const, content: "Tell me about the sea." },
      { role: "assistant" as const, content: first.text },
      { role: "user" as const, content: "And the mountains?" },
    ];
    const second = await engine.generate(request({ model: tiny, systemPrompt: longSystem, turns: secondTurns }));
    expect(second.loadMs).toBeNull(); // same model and context: not reloaded

    // The same history evaluated from an empty cache, for comparison.
    await engine.unload();
    const fresh = await engine.generate(request({ model: tiny, systemPrompt: longSystem, turns: secondTurns }));
    expect(fresh.loadMs).toBeGreaterThan(0);
    expect(second.stats.evaluatedInputTokens).toBeGreaterThan(0);
    expect(second.stats.evaluatedInputTokens).toBeLessThan(fresh.stats.evaluatedInputTokens / 2);
  });

  it("starts from an empty cache when another conversation takes the model", async () => {
    const turns = [{ role: "user" as const, content: "A story about a dog and a ball" }];
    const a = await engine.generate(request({ model: tiny, conversationId: "a", turns }));
    const b = await engine.generate(request({ model: tiny, conversationId: "b", turns }));
    expect(b.stats.evaluatedInputTokens).toBe(a.stats.evaluatedInputTokens);
    expect(engine.currentSequence!.contextTokens.length).toBeLessThanOrEqual(
      b.stats.evaluatedInputTokens + b.stats.outputTokens,
    );
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
