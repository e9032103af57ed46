import { afterEach, describe, expect, it } from "vitest";
import type { ContextMeterInfo, MessageStats, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// The header's meter counts from where the latest answer's memory began (its stats' firstKeptMessageId), as the next
// send will: not from the fewest messages that would have to go now. Measured on stories260K's own tokenizer.

const cores: CoreInternals[] = [];

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

const turn = (i: number) => `Turn ${i}: the little fox met a bird.`;
const stats: MessageStats = { timeToFirstTokenMs: 5, tokensPerSecond: 50, outputTokens: 8, evaluatedInputTokens: 60 };

describe("the context meter of a conversation past its limit", () => {
  it("counts from the start the latest answer kept, not from a fresh cut", async () => {
    const core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, logger: createStderrLogger("error") });
    cores.push(core);
    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });

    /** A conversation of 16 turns; the last answer's prompt began at `keptFrom` (a message index), or read everything. */
    const conversationWith = async (keptFrom: number | null) => {
      const { id } = await call<{ id: string }>(core, "createConversation", { modelId: model.id });
      await call(core, "updateConversationSettings", { conversationId: id, settings: { contextSize: 256, maxOutputTokens: 8 } });
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) {
        ids.push(core.store.addMessage({ conversationId: id, role: "user", content: turn(i), status: "complete" }).id);
        const answer = core.store.addMessage({ conversationId: id, role: "assistant", content: "", status: "streaming", modelId: model.id });
        ids.push(answer.id);
        const last = i === 15 && keptFrom !== null;
        const context = last ? { droppedCount: keptFrom, firstKeptMessageId: ids[keptFrom] ?? null, usedTokens: 200, budgetTokens: 248 } : undefined;
        core.store.finishMessage(answer.id, { content: "The fox smiled.", reasoning: "", status: "complete", stats: { ...stats, ...(context ? { context } : {}) }, error: null });
      }
      return (await call<{ meter: ContextMeterInfo | null }>(core, "getContextMeter", { conversationId: id })).meter!;
    };

    const fewest = await conversationWith(null);
    expect(fewest.level).toBe("full");
    expect(fewest.droppedCount).toBeGreaterThan(0);
    // A fresh cut frees a quarter of the budget beyond what is needed; the latest answer's prompt began one turn
    // earlier than that and still fits: the next send keeps that start, and so does the meter.
    const kept = fewest.droppedCount - 2;
    const sticky = await conversationWith(kept);
    expect(sticky.droppedCount).toBe(kept);
    expect(sticky.usedTokens).toBeGreaterThan(fewest.usedTokens);
    expect(sticky.usedTokens).toBeLessThanOrEqual(256);
    console.log(`[context-meter] 16 turns on 256 tokens: ${fewest.droppedCount} messages out on a fresh cut (${fewest.usedTokens} tokens), ${sticky.droppedCount} with the latest answer's start (${sticky.usedTokens} tokens)`);
  });
});
