import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import type { ModelFile } from "./model.js";
import { adjustedShare, createRouter, defaultModelPath, formatParameters, loadRouter, shouldEscalateAfterLocal, type EscalationLevel } from "./router.js";

const DEV = path.resolve("../shared/data/router/dev.jsonl");
const LEVELS: EscalationLevel[] = ["rarely", "balanced", "often"];
const GSM =
  "Janet has 3 boxes with 24 pencils each. She gives 15 pencils to each of her 4 friends and sells the rest at $0.25 each. How much money does she make?";

describe("shipped router", () => {
  it("is a small file next to the code", () => {
    expect(fs.statSync(defaultModelPath()).size).toBeLessThan(2 * 1024 * 1024);
  });

  it("loads and scores the whole dev set within the latency budget (p50 <= 5 ms)", () => {
    const router = loadRouter();
    const rows = fs.readFileSync(DEV, "utf8").split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line) as { prompt: string });
    const times: number[] = [];
    for (const row of rows) {
      const t0 = performance.now();
      const score = router.score({ prompt: row.prompt });
      times.push(performance.now() - t0);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]!).toBeLessThan(5);
    expect(times[Math.floor(times.length * 0.99)]!).toBeLessThan(50);
  });

  it("decides consistently with its threshold, and more levels escalate more", () => {
    const router = loadRouter();
    const input = { prompt: GSM };
    const decisions = LEVELS.map((level) => router.decide(input, level));
    for (const d of decisions) {
      expect(d.score).toBe(router.score(input));
      expect(d.target).toBe(d.score >= d.threshold ? "cloud" : "local");
      expect(d.reasons.length).toBeGreaterThan(0);
      for (const reason of d.reasons) expect(reason).toMatch(/^[a-z][a-z0-9 /(),.'-]+$/i);
    }
    expect(decisions[0]!.threshold).toBeGreaterThanOrEqual(decisions[1]!.threshold);
    expect(decisions[1]!.threshold).toBeGreaterThanOrEqual(decisions[2]!.threshold);
  });

  it("escalates more for a small local model, and says so", () => {
    const router = loadRouter();
    const small = router.decide({ prompt: GSM, localModel: { parameters: 1.2e9 } }, "often");
    const large = router.decide({ prompt: GSM, localModel: { parameters: 70e9 } }, "often");
    const none = router.decide({ prompt: GSM }, "often");
    expect(small.threshold).toBeLessThan(none.threshold);
    expect(large.threshold).toBeGreaterThan(none.threshold);
    if (small.target === "cloud") expect(small.reasons).toContain("local model is small (1.2B)");
    expect(formatParameters(292_800)).toBe("293K");
    expect(formatParameters(3.5e6)).toBe("3.5M");
    expect(formatParameters(350e6)).toBe("350M");
    expect(formatParameters(1.2e9)).toBe("1.2B");
    expect(adjustedShare(0.35, 1e9)).toBeGreaterThan(0.5);
    expect(adjustedShare(0.35, 70e9)).toBeLessThan(0.25);
    expect(adjustedShare(0.35, null)).toBe(0.35);
  });

  it("scores word problems with the word-problem model and names what makes one hard", () => {
    const router = loadRouter();
    const hard =
      "Together, Sofie, Anne, and Fawn have 85 books. If Sofie has 25 more books than Anne, and Anne has 12 fewer books than Fawn does, how many books does Fawn have?";
    const easy = "Sam has 3 apples. He buys 2 more apples. How many apples does he have?";
    expect(router.score({ prompt: hard })).toBeGreaterThan(router.score({ prompt: easy }));
    const d = router.decide({ prompt: hard }, "often");
    expect(d.target).toBe("cloud");
    expect(d.reasons).toContain("relations between quantities (more than, twice as many)");
    expect(router.decide({ prompt: easy }, "rarely").target).toBe("local");
  });

  it("ranks a multi-step word problem above small talk", () => {
    const router = loadRouter();
    expect(router.score({ prompt: GSM })).toBeGreaterThan(router.score({ prompt: "hi, how are you?" }));
  });

  it("accepts local-model signals and uses them only when the model file has learned weights for them", () => {
    const router = loadRouter();
    // The shipped model has none (no labelled local-model outputs to learn them from).
    expect(router.usesLocalSignals).toBe(false);
    const local = { promptNll: 6, selfAssessment: 0.05, answerConfidences: Array(20).fill(0.2) };
    expect(router.score({ prompt: GSM, local })).toBe(router.score({ prompt: GSM }));

    const file = JSON.parse(fs.readFileSync(defaultModelPath(), "utf8")) as ModelFile;
    const withWeights = createRouter({
      ...file,
      localSignals: { names: ["self_unsure"], mean: [0.5], scale: [0.2], weights: [1.5], localModel: "test" },
    });
    expect(withWeights.usesLocalSignals).toBe(true);
    expect(withWeights.score({ prompt: GSM, local })).toBeGreaterThan(router.score({ prompt: GSM }));
    expect(withWeights.score({ prompt: GSM })).toBeCloseTo(router.score({ prompt: GSM }), 9);
    const d = withWeights.decide({ prompt: GSM, local }, "balanced");
    expect(d.score).toBe(withWeights.score({ prompt: GSM, local }));
  });

  it("takes the conversation into account without failing on it", () => {
    const router = loadRouter();
    const history = Array.from({ length: 12 }, (_, i) => ({ role: (i % 2 ? "assistant" : "user") as "user" | "assistant", content: "x ".repeat(400) }));
    const d = router.decide({ prompt: "and what about the second case?", history }, "balanced");
    expect(Number.isFinite(d.score)).toBe(true);
  });
});

describe("cascade after a local answer", () => {
  it("keeps a confident answer local", () => {
    expect(shouldEscalateAfterLocal(Array(40).fill(0.95), "often")).toEqual({ escalate: false, reason: null });
  });

  it("proposes the cloud when much of the answer is unsure", () => {
    const unsure = Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.2 : 0.9));
    const d = shouldEscalateAfterLocal(unsure, "balanced");
    expect(d.escalate).toBe(true);
    expect(d.reason).toMatch(/unsure \(50% of its tokens/);
  });

  it("catches one guessed stretch in an otherwise fluent answer, depending on the level", () => {
    const answer = [...Array(30).fill(0.97), ...Array(8).fill(0.3), ...Array(30).fill(0.97)];
    expect(shouldEscalateAfterLocal(answer, "often").escalate).toBe(true);
    expect(shouldEscalateAfterLocal(answer, "rarely").escalate).toBe(false);
  });

  it("does not judge very short or empty answers", () => {
    expect(shouldEscalateAfterLocal([], "often").escalate).toBe(false);
    expect(shouldEscalateAfterLocal([0.1, 0.1], "often").escalate).toBe(false);
  });
});
