import { describe, expect, it } from "vitest";
import { textParts } from "../../api/contract.js";
import { reasoningSummary } from "./reasoning-summary.js";

const stats = { timeToFirstTokenMs: 5, tokensPerSecond: 10, outputTokens: 30, evaluatedInputTokens: 12 };

describe("reasoningSummary", () => {
  it("says the model is thinking until its answer starts", () => {
    expect(reasoningSummary({ status: "streaming", content: "", reasoning: "Let me see", parts: textParts("", "Let me see"), stats: null })).toBe("Thinking…");
  });

  it("gives the reasoning's length and how long it took, from its part or the answer's stats", () => {
    const reasoning = "First the sum, then the product of the two numbers.";
    const fromPart = { status: "complete" as const, content: "42", reasoning, parts: textParts("42", reasoning, [], 4_230), stats };
    expect(reasoningSummary(fromPart)).toBe("Reasoning · 10 words · 4.2 s");
    expect(reasoningSummary({ ...fromPart, parts: textParts("42", reasoning), stats: { ...stats, reasoningMs: 75_000 } })).toBe("Reasoning · 10 words · 1 min 15 s");
    expect(reasoningSummary({ ...fromPart, parts: textParts("42", reasoning), stats })).toBe("Reasoning · 10 words");
    expect(reasoningSummary({ ...fromPart, reasoning: "Hm", parts: textParts("42", "Hm", [], 300) })).toBe("Reasoning · 1 word · under 1 s");
  });
});
