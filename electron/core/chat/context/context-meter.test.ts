import { describe, expect, it } from "vitest";
import { contextMeter } from "./context-meter.js";
import type { BranchMessage } from "./prompt-message.js";
import { perMessageCounter } from "./token-counters.js";

const countTokens = perMessageCounter((t) => t.split(/\s+/).filter(Boolean).length, { perMessage: 3, perPrompt: 2 });

/** `n` turns of 16 tokens each (5-word question, 5-word answer). */
function branchOf(n: number): BranchMessage[] {
  return Array.from({ length: n }, (_, i): BranchMessage[] => [
    { id: `u${i}`, role: "user", content: `question number ${i} goes here`, reasoning: "", status: "complete" },
    { id: `a${i}`, role: "assistant", content: `answer number ${i} goes here`, reasoning: "", status: "complete" },
  ]).flat();
}

const meter = (n: number, contextSize: number) =>
  contextMeter({ branch: branchOf(n), systemPrompt: "", budget: { contextSize, reserveForAnswer: 0 }, countTokens, reasoning: "strip" });

describe("context meter", () => {
  it("reports the branch's tokens against the context while it fits", () => {
    // 2 + 4 turns * 16 = 66 tokens.
    expect(meter(4, 100)).toEqual({
      contextSize: 100,
      budgetTokens: 100,
      branchTokens: 66,
      usedTokens: 66,
      droppedMessages: 0,
      firstKeptMessageId: null,
      level: "ok",
      notice: null,
    });
  });

  it("warns from 80% of the budget", () => {
    expect(meter(4, 82).level).toBe("near-limit");
    expect(meter(4, 83).level).toBe("ok");
  });

  it("once full, says how many messages the model no longer reads, counted as a send would drop them", () => {
    const full = meter(4, 49);
    expect(full.level).toBe("full");
    expect(full.branchTokens).toBe(66);
    // The last turn (the last question and its answer) is the latest: 2 turns dropped leave 2 + 32 = 34 tokens.
    expect(full.usedTokens).toBe(34);
    expect(full.droppedMessages).toBe(4);
    expect(full.firstKeptMessageId).toBe("u2");
    expect(full.notice).toBe("The first 4 messages are no longer in the model's memory.");
  });

  it("is full when even the latest turn does not fit", () => {
    expect(meter(1, 10).level).toBe("full");
  });

  it("with stop-and-ask, past the limit shows the whole branch, over the context, and nothing dropped", () => {
    const input = { branch: branchOf(4), systemPrompt: "", budget: { contextSize: 49, reserveForAnswer: 0 }, countTokens, reasoning: "strip" as const };
    expect(contextMeter({ ...input, overflow: "stop-and-ask" })).toEqual({
      contextSize: 49,
      budgetTokens: 49,
      branchTokens: 66,
      usedTokens: 66,
      droppedMessages: 0,
      firstKeptMessageId: null,
      level: "full",
      notice: null,
    });
    // Once the user let an answer drop the first 2 messages, those are out; the rest (2 + 3 * 16) still does not fit.
    expect(contextMeter({ ...input, overflow: "stop-and-ask", keptFrom: "u1" })).toMatchObject({
      usedTokens: 50,
      droppedMessages: 2,
      firstKeptMessageId: "u1",
      notice: "The first 2 messages are no longer in the model's memory.",
    });
    // While the agreed start holds, it reads as any trimmed branch.
    expect(contextMeter({ ...input, budget: { contextSize: 50, reserveForAnswer: 0 }, overflow: "stop-and-ask", keptFrom: "u1" })).toMatchObject({
      usedTokens: 50,
      droppedMessages: 2,
      level: "full",
    });
  });
});
