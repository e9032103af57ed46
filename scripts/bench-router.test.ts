import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatBench, parseArgs, runBench, type BenchReport } from "./bench-router.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-router-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("bench:router", () => {
  it("parses its options", () => {
    const args = parseArgs(["--no-latency", "--no-shipped", "--outer-folds", "10", "--inner-folds", "3", "--json"]);
    expect(args.latency).toBe(false);
    expect(args.shipped).toBe(false);
    expect(args.outerFolds).toBe(10);
    expect(args.train.grid.innerFolds).toBe(3);
    expect(args.json).toBe(true);
    expect(parseArgs([]).outerFolds).toBe(8);
    expect(parseArgs([]).splits).toBe(1);
    expect(parseArgs(["--splits", "3"]).splits).toBe(3);
    expect(parseArgs(["--first-split", "2"]).firstSplit).toBe(2);
    const smaller = parseArgs(["--choice-candidates", "0,3"]);
    expect(smaller.train.grid.choice).toEqual([parseArgs([]).train.grid.choice[0], parseArgs([]).train.grid.choice[3]]);
    expect(parseArgs([]).train.grid.choice.length).toBeGreaterThan(2);
    expect(() => parseArgs(["--choice-candidates", "0,99"])).toThrow(/whole number/);
    expect(() => parseArgs(["--splits", "0"])).toThrow(/whole number/);
    expect(() => parseArgs(["--nope"])).toThrow(/unknown option/);
    expect(() => parseArgs(["--outer-folds", "1"])).toThrow(/whole number/);
  });

  it("reports nested figures per source: pooled, mean, worst and spread of the outer folds", () => {
    // Six subjects of multiple-choice items where a capitalised NOT makes the weak model fail, and MT-Bench rows.
    const lines: string[] = [];
    for (let s = 0; s < 6; s++) {
      for (let k = 0; k < 12; k++) {
        const hard = (k + s) % 3 === 0;
        lines.push(JSON.stringify({ id: `m${s}/${k}`, source: "mmlu", category: `subj${s}`, prompt: `Which is ${hard ? "NOT " : ""}a thing ${k}?\nA. one\nB. two\nC. three\nD. four\nAnswer:`, weak_correct: !hard, strong_correct: true }));
      }
    }
    for (let i = 0; i < 3; i++) lines.push(JSON.stringify({ id: `mt${i}`, source: "mt_bench", prompt: `Write a poem ${i}`, weak_score: 4 + i, strong_score: 9 }));
    const data = path.join(dir, "dev.jsonl");
    fs.writeFileSync(data, lines.join("\n") + "\n");
    const args = parseArgs(["--data", data, "--no-latency", "--no-shipped", "--outer-folds", "3", "--inner-folds", "2", "--splits", "2"]);
    args.train = { ...args.train, hashBits: 10, iterations: 5, grid: { ...args.train.grid, hashBits: 10, iterations: 10, choice: args.train.grid.choice.slice(1, 2) } };
    const report = runBench(args);
    expect(report.evaluation).toMatch(/NESTED/);
    const mmlu = report.sources.find((s) => s.source === "mmlu")!;
    expect(mmlu.foldApgr).toHaveLength(3);
    expect(mmlu.illConditioned).toEqual([]);
    expect(mmlu.foldGap.every((g) => g > 0.2)).toBe(true);
    expect(mmlu.foldWorst).toBe(Math.min(...mmlu.foldApgr));
    expect(mmlu.foldSpread).toBeCloseTo(Math.max(...mmlu.foldApgr) - Math.min(...mmlu.foldApgr), 12);
    // A third of the items gain from the strong model; a perfect ranking scores 1 - (1/3)/2.
    expect(mmlu.apgr).toBeGreaterThan(0.8);
    const mt = report.sources.find((s) => s.source === "mt_bench")!;
    expect(mt.foldApgr).toHaveLength(3);
    expect(report.foldSettings).toHaveLength(3);
    expect(formatBench(report)).toMatch(/fold 3: multiple choice: /);
    // The subject-level oracle ranks whole subjects by their true gain: within a fold it can only order subjects.
    expect(mmlu.subjectOracle!.foldApgr).toHaveLength(3);
    expect(mmlu.subjectOracle!.foldMean).toBeLessThan(mmlu.foldMean);
    // Two outer splits: every fold of both, split 0 first (the single-split figures).
    const repeated = report.repeated!.sources.find((s) => s.source === "mmlu")!;
    expect(report.repeated!.splits).toBe(2);
    expect(repeated.foldApgr).toHaveLength(6);
    expect(repeated.foldApgr.slice(0, 3)).toEqual(mmlu.foldApgr);
    expect(repeated.pooledBySplit[0]).toBe(mmlu.apgr);
    expect(repeated.foldWorst).toBe(Math.min(...repeated.foldApgr));
    expect(formatBench(report)).toMatch(/repeated over 2 outer splits x 3 folds/);
  });

  it("prints APGR, CPT, the outer folds' mean / worst / spread, the shipped settings and the decision time", () => {
    const report: BenchReport = {
      evaluation: "NESTED cross-validation (honest): ...",
      outerFolds: 2,
      innerFolds: 4,
      sources: [
        { source: "mmlu", n: 10, weakQuality: 0.5, strongQuality: 0.8, apgr: 0.64, cpt50: 0.3, cpt80: 0.63, apgrRouteLLM: 0.639, foldApgr: [0.6, 0.7, 2.1], foldGap: [0.2, 0.3, 0.01], illConditioned: [2], foldMean: 0.65, foldWorst: 0.6, foldSpread: 0.1, levelShares: { rarely: 0.1, balanced: 0.3, often: 0.5 } },
      ],
      foldSettings: ["a", "b"],
      foldInnerApgr: [],
      firstSplit: 0,
      repeated: null,
      shipped: { settings: "multiple choice: x", innerApgr: { choice: [0.6], wordProblem: [0.6] }, matches: true },
      latencyMs: { p50: 0.07, p99: 0.7, n: 10 },
      seconds: 3,
    };
    const text = formatBench(report);
    expect(text).toMatch(/mmlu\s+10\s+0\.640\s+\(0\.639\)\s+0\.603\s+30\.0%\s+63\.0%\s+0\.650\s+0\.600\s+0\.100\s+0\.600 0\.700 \(2\.100\)/);
    expect(text).toMatch(/p50 0\.070 ms, p99 0\.700 ms/);
    expect(text).toMatch(/shipped settings \(same inner procedure, all rows\): multiple choice: x/);
    expect(text).toMatch(/= these settings on this data: yes/);
  });
});
