import { describe, expect, it } from "vitest";
import { shouldEscalateAfterLocal } from "./cascade.js";

const sure = (n: number) => Array.from({ length: n }, () => 0.95);

describe("shouldEscalateAfterLocal", () => {
  it("keeps a confident answer local", () => {
    expect(shouldEscalateAfterLocal(sure(40), "often")).toEqual({ escalate: false, reason: null });
  });

  it("says nothing about an answer too short to judge", () => {
    expect(shouldEscalateAfterLocal([0.01, 0.02, 0.03], "often").escalate).toBe(false);
  });

  it("escalates an answer with many low-confidence tokens, and says how many", () => {
    const unsure = [...sure(20), ...Array.from({ length: 20 }, () => 0.1)];
    const verdict = shouldEscalateAfterLocal(unsure, "rarely");
    expect(verdict.escalate).toBe(true);
    expect(verdict.reason).toMatch(/unsure \(50%/);
  });

  it("escalates a fluent answer that guesses in one stretch", () => {
    // 8 of 60 tokens low: under every level's share, but one weak stretch.
    const answer = [...sure(26), ...Array.from({ length: 8 }, () => 0.05), ...sure(26)];
    expect(shouldEscalateAfterLocal(answer, "balanced")).toMatchObject({ escalate: true, reason: expect.stringMatching(/guess/) });
  });

  it("escalates more readily at higher levels, and ignores values that are not probabilities", () => {
    const borderline = [...sure(30), ...Array.from({ length: 10 }, () => 0.3)];
    expect(shouldEscalateAfterLocal(borderline, "rarely").escalate).toBe(false);
    expect(shouldEscalateAfterLocal(borderline, "often").escalate).toBe(true);
    expect(shouldEscalateAfterLocal([...sure(40), Number.NaN, Number.POSITIVE_INFINITY], "often").escalate).toBe(false);
  });
});
