import { describe, expect, it } from "vitest";
import { adjustScore, type LocalSignals } from "../../../electron/core/router/local-signals.js";
import { fitLocalSignals } from "./fit-local-signals.js";

// Deterministic pseudo-random numbers, so the test never flakes.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("fitting the local-model signals' weights", () => {
  it("moves the score once weights are learned from a local model's signals", () => {
    // A local model whose self-assessment predicts its failures beyond the prompt-only score.
    const rand = lcg(3);
    const base: number[] = [];
    const signals: LocalSignals[] = [];
    const weakWrong: number[] = [];
    for (let i = 0; i < 400; i++) {
      const b = 0.3 + 0.4 * rand();
      const fails = rand() < 0.5;
      base.push(b);
      signals.push({ selfAssessment: fails ? 0.2 + 0.3 * rand() : 0.5 + 0.4 * rand() });
      weakWrong.push(fails ? 1 : 0);
    }
    const file = fitLocalSignals(base, signals, weakWrong, "test-model");
    expect(file.weights[1]!).toBeGreaterThan(0.5);
    expect(adjustScore(0.5, { selfAssessment: 0.1 }, file)).toBeGreaterThan(0.5);
    expect(adjustScore(0.5, { selfAssessment: 0.95 }, file)).toBeLessThan(0.5);
    expect(adjustScore(0.5, {}, file)).toBeCloseTo(0.5, 9);
  });
});
