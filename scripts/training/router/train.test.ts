import { describe, expect, it } from "vitest";
import type { LabelledRow } from "./dataset.js";
import { assignFolds } from "./dataset.js";
import { extractFeatures } from "../../../electron/core/router/features.js";
import { routedItems } from "./dataset.js";
import { routingMetrics } from "./metrics.js";
import { isWordProblem, RouterModel } from "../../../electron/core/router/model.js";
import type { SelectedSettings } from "./selection.js";
import { calibrateThresholds, DEFAULT_TRAIN, fitModel, MIN_WORD_PROBLEMS, scoreQuantiles, type TrainOptions } from "./train.js";

// A tiny synthetic task: prompts mentioning "integral" are where the strong model wins.
function synthetic(n: number, offset = 0): LabelledRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const hard = i % 3 === 0;
    return {
      id: `s/${i}`,
      source: "mmlu",
      category: `subject${i % 7}`,
      prompt: hard ? `Evaluate the integral number ${i} of the curve` : `Name the colour of item ${i} in the picture`,
      weak_correct: !hard,
      strong_correct: true,
    };
  });
}

// Word problems: age puzzles are where the strong model wins; plain sums the weak model gets right.
function wordProblems(n: number, offset = 0): LabelledRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const hard = i % 3 === 0;
    return {
      id: `gsm/${i}`,
      source: "gsm8k",
      prompt: hard
        ? `Ann is ${i + 3} years old, ${i % 5 + 2} years older than Bo. In ${i % 7 + 1} years, how old will Bo be?`
        : `Sam has ${i + 3} apples and ${i % 5 + 2} pears. He buys ${i % 7 + 1} more pears. How many fruits does he have?`,
      weak_correct: !hard,
      strong_correct: true,
    };
  });
}

const OPTIONS: TrainOptions = { ...DEFAULT_TRAIN, hashBits: 10, iterations: 40, grid: { ...DEFAULT_TRAIN.grid, hashBits: 10 } };
// Word n-grams for the multiple-choice pair: the synthetic signal is one word ("integral").
const SETTINGS: SelectedSettings = {
  choice: { groups: ["structure", "choice_item", "item_form"], ngrams: "words", l2Dense: 1e-3, l2Hashed: 1e-4, blend: 0.5 },
  choiceAlso: null,
  wordProblem: { l2: 0.1, blend: 0.5 },
  innerApgr: { choice: [], wordProblem: [] },
};

describe("router training", () => {
  it("learns a signal that holds on unseen rows, and survives a save/load round trip", () => {
    const rows = synthetic(120);
    const features = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    const model = fitModel(rows, features, rows.map((_, i) => i), OPTIONS, SETTINGS);
    const test = synthetic(60, 1000);
    const testScores = test.map((r) => model.score(extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits })));
    expect(routingMetrics(routedItems(test, testScores)).apgr).toBeGreaterThan(0.8);

    const file = model.toFile({ thresholds: { rarely: 0.9, balanced: 0.8, often: 0.7 }, thresholdShares: { rarely: 0.15, balanced: 0.35, often: 0.6 }, scoreQuantiles: [0, 1], training: {} });
    const loaded = RouterModel.fromFile(JSON.parse(JSON.stringify(file)));
    const f = extractFeatures(test[0]!.prompt, undefined, { hashBits: OPTIONS.hashBits });
    expect(loaded.score(f)).toBeCloseTo(model.score(f), 3);
    expect(model.wordProblem).toBeNull();
    expect(file.wordProblemHeads).toBeNull();
  });

  it("gives word problems their own model once there are enough of them", () => {
    const rows = [...synthetic(60), ...wordProblems(MIN_WORD_PROBLEMS + 10)];
    const features = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    const model = fitModel(rows, features, rows.map((_, i) => i), OPTIONS, SETTINGS);
    expect(model.wordProblem).not.toBeNull();
    const test = wordProblems(60, 1000);
    const testFeatures = test.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    expect(testFeatures.every(isWordProblem)).toBe(true);
    expect(model.pairFor(testFeatures[0]!)).toBe(model.wordProblem);
    expect(routingMetrics(routedItems(test, testFeatures.map((f) => model.score(f)))).apgr).toBeGreaterThan(0.8);
    // The word-problem features push a hard problem towards the cloud and an easy one away from it.
    const push = (f: (typeof testFeatures)[number]) => model.contributions(f).reduce((sum, c) => sum + c.value, 0);
    const hard = testFeatures[test.findIndex((r) => !r.weak_correct)]!;
    expect(push(hard)).toBeGreaterThan(0);
    expect(push(testFeatures[test.findIndex((r) => r.weak_correct)]!)).toBeLessThan(0);

    const file = model.toFile({ thresholds: { rarely: 0.9, balanced: 0.8, often: 0.7 }, thresholdShares: { rarely: 0.15, balanced: 0.35, often: 0.6 }, scoreQuantiles: [0, 1], training: {} });
    const loaded = RouterModel.fromFile(JSON.parse(JSON.stringify(file)));
    for (const f of testFeatures.slice(0, 6)) expect(loaded.score(f)).toBeCloseTo(model.score(f), 5);

    const few = [...synthetic(60), ...wordProblems(MIN_WORD_PROBLEMS - 1)];
    const fewFeatures = few.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    const fallback = fitModel(few, fewFeatures, few.map((_, i) => i), OPTIONS, SETTINGS);
    expect(fallback.wordProblem).toBeNull();
    expect(fallback.pairFor(hard)).toBe(fallback.general);
  });

  it("is deterministic", () => {
    const rows = synthetic(60);
    const features = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    const a = fitModel(rows, features, rows.map((_, i) => i), OPTIONS, SETTINGS);
    const b = fitModel(rows, features, rows.map((_, i) => i), OPTIONS, SETTINGS);
    expect([...a.general.weakWrong.hashed]).toEqual([...b.general.weakWrong.hashed]);
    expect([...a.general.strongRight.hashed]).toEqual([...b.general.strongRight.hashed]);
  });

  it("holds out whole MMLU subjects and never trains on MT-Bench", () => {
    const rows: LabelledRow[] = [...synthetic(70), { id: "mt/1", source: "mt_bench", prompt: "x", weak_score: 3, strong_score: 9 }];
    const folds = assignFolds(rows, 5);
    const foldOfSubject = new Map<string, number>();
    rows.forEach((r, i) => {
      if (r.source !== "mmlu") return;
      const seen = foldOfSubject.get(r.category!);
      if (seen !== undefined) expect(folds[i]).toBe(seen);
      foldOfSubject.set(r.category!, folds[i]!);
    });
    expect(folds[folds.length - 1]).toBe(-1);

    // Another seed gives another split of the same kind: still whole subjects, MT-Bench still never trained on.
    const other = assignFolds(rows, 5, 3);
    expect(other).not.toEqual(folds);
    rows.forEach((r, i) => {
      if (r.source === "mmlu") expect(other[i]).toBe(other[rows.findIndex((q) => q.category === r.category)]);
    });
    expect(other[other.length - 1]).toBe(-1);
    expect(assignFolds(rows, 5, 0)).toEqual(folds);
  });

  it("deals items to new groups on every seeded split, not the default split's groups relabelled", () => {
    const rows: LabelledRow[] = Array.from({ length: 400 }, (_, i) => ({ id: `gsm/${i}`, source: "gsm8k", prompt: "x", weak_correct: true, strong_correct: true }));
    const base = assignFolds(rows, 8);
    for (const seed of [1, 2, 3, 4]) {
      const other = assignFolds(rows, 8, seed);
      // Of the items that share a default fold, no more than about a quarter share a seeded fold (1/8 expected).
      for (let f = 0; f < 8; f++) {
        const members = other.filter((_, i) => base[i] === f);
        const largest = Math.max(...Array.from({ length: 8 }, (_, g) => members.filter((o) => o === g).length));
        expect(largest / members.length).toBeLessThan(0.3);
      }
    }
  });

  it("calibrates thresholds to strong-call shares with every source weighing the same", () => {
    const scores = [...Array.from({ length: 100 }, (_, i) => i / 100), ...Array.from({ length: 10 }, (_, i) => 0.5 + i / 20)];
    const sources = [...Array(100).fill("a"), ...Array(10).fill("b")];
    const t = calibrateThresholds(scores, sources);
    expect(t.rarely).toBeGreaterThan(t.balanced);
    expect(t.balanced).toBeGreaterThan(t.often);
    const q = scoreQuantiles(scores, sources);
    expect(q).toHaveLength(101);
    for (let i = 1; i < q.length; i++) expect(q[i]!).toBeGreaterThanOrEqual(q[i - 1]!);
  });
});
