import { describe, expect, it } from "vitest";
import { calibrate, calibrationFromFile, calibrationSlopeAt, MIN_SLOPE } from "../../../electron/core/router/calibration.js";
import { fitCalibration } from "./fit-calibration.js";
import type { LabelledRow } from "./dataset.js";
import { extractFeatures } from "../../../electron/core/router/features.js";
import { RouterModel } from "../../../electron/core/router/model.js";
import type { SelectedSettings } from "./selection.js";
import { DEFAULT_TRAIN, fitModel, type TrainOptions } from "./train.js";

// Deterministic pseudo-random numbers (a linear congruential generator), so the test never flakes.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("calibration onto the common scale", () => {
  it("maps a raw score to (1 + expected gain) / 2, keeping the order", () => {
    const rand = lcg(11);
    const raw: number[] = [];
    const gain: number[] = [];
    // The truth: expected gain = 0.8 * (2 * raw - 1) - 0.1, raw spread around 0.5.
    for (let i = 0; i < 4000; i++) {
      const r = 0.2 + 0.6 * rand();
      const expected = 0.8 * (2 * r - 1) - 0.1;
      raw.push(r);
      // Gains of -1, 0 or 1 with that mean.
      const u = rand();
      gain.push(expected >= 0 ? (u < expected ? 1 : 0) : u < -expected ? -1 : 0);
    }
    const c = fitCalibration(raw, gain);
    expect(c.slope).toBeGreaterThan(MIN_SLOPE);
    for (const r of [0.3, 0.5, 0.7]) expect(calibrate(c, r)).toBeCloseTo((1 + 0.8 * (2 * r - 1) - 0.1) / 2, 1);
    // Strictly increasing: the order of raw scores is kept.
    for (let r = 0.01; r < 0.99; r += 0.01) expect(calibrate(c, r + 0.001)).toBeGreaterThan(calibrate(c, r));
    // The slope carried to feature contributions is the derivative.
    expect(calibrationSlopeAt(c, 0.6)).toBeCloseTo((calibrate(c, 0.600001) - calibrate(c, 0.599999)) / 0.000002, 4);
    expect(fitCalibration(raw, gain)).toEqual(c);
  });

  it("keeps a positive slope when the raw scores carry no signal, and rejects a broken calibration in a file", () => {
    const raw = Array.from({ length: 200 }, (_, i) => 0.3 + (i % 40) / 100);
    const gain = raw.map((r) => (r > 0.5 ? 0 : 1)); // higher raw, lower gain: an anti-signal
    const c = fitCalibration(raw, gain);
    expect(c.slope).toBe(MIN_SLOPE);
    expect(calibrate(c, 0.6)).toBeGreaterThan(calibrate(c, 0.4));
    expect(calibrationFromFile(undefined)).toBeNull();
    expect(() => calibrationFromFile({ slope: -1, intercept: 0 })).toThrow(/positive slope/);
    expect(() => calibrationFromFile({ slope: 1 })).toThrow(/calibration/);
  });
});

// Multiple-choice items (a capitalised NOT makes the weak model fail, the strong model is always right) and word
// problems (ages make the weak model fail; the strong model is right half the time, whatever the problem).
function mcRow(s: number, k: number): LabelledRow {
  const hard = (k + s) % 3 === 0;
  return {
    id: `mc/${s}/${k}`,
    source: "mmlu",
    category: `subject${s}`,
    prompt: `${hard ? "Which of these is NOT" : "Which of these is"} a topic${s} item${k} idea?\nA. alpha${s}\nB. beta${k}\nC. gamma\nD. delta\nAnswer:`,
    weak_correct: !hard,
    strong_correct: true,
  };
}

function wpRow(i: number): LabelledRow {
  const hard = i % 3 === 0;
  return {
    id: `gsm/${i}`,
    source: "gsm8k",
    prompt: hard
      ? `Ann is ${i + 3} years old, ${(i % 5) + 2} years older than Bo. In ${(i % 7) + 1} years, how old will Bo be?`
      : `Sam has ${i + 3} apples and ${(i % 5) + 2} pears. How many fruits does he have?`,
    weak_correct: !hard,
    strong_correct: Math.floor(i / 3) % 2 === 0,
  };
}

const OPTIONS: TrainOptions = {
  ...DEFAULT_TRAIN,
  hashBits: 10,
  iterations: 10,
  grid: { ...DEFAULT_TRAIN.grid, innerFolds: 3, iterations: 20, hashBits: 10 },
};
// Different blends make the two pairs' raw scores live on different scales: the multiple-choice raw score leans on
// P(weak wrong), the word-problem one on P(strong right).
const SETTINGS: SelectedSettings = {
  choice: { groups: ["structure", "choice_item", "item_form"], ngrams: "none", l2Dense: 1e-3, l2Hashed: 0, blend: 0.25 },
  choiceAlso: null,
  wordProblem: { l2: 0.1, blend: 0.75 },
  innerApgr: { choice: [], wordProblem: [] },
};

describe("calibrated pairs", () => {
  it("rank prompts of two pairs by expected gain, where the raw scores do not", () => {
    const rows: LabelledRow[] = [];
    for (let s = 0; s < 8; s++) for (let k = 0; k < 18; k++) rows.push(mcRow(s, k));
    for (let i = 0; i < 120; i++) rows.push(wpRow(i));
    const features = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits }));
    const model = fitModel(rows, features, rows.map((_, i) => i), OPTIONS, SETTINGS);
    expect(model.choice?.calibration).toBeTruthy();
    expect(model.wordProblem?.calibration).toBeTruthy();
    expect(model.general.calibration).toBeTruthy();

    // Unseen prompts of four kinds; expected gain: hard item 1, hard word problem 0.5, easy item 0, easy word problem -0.5.
    const subjects = [20, 21, 22, 23, 24, 25];
    const hardK = (s: number) => ((3 - (s % 3)) % 3) + 3;
    const kinds = {
      mcHard: subjects.map((s) => mcRow(s, hardK(s))),
      wpHard: subjects.map((_, k) => wpRow(300 + 3 * k)),
      mcEasy: subjects.map((s) => mcRow(s, hardK(s) + 1)),
      wpEasy: subjects.map((_, k) => wpRow(301 + 3 * k)),
    };
    const f = (r: LabelledRow) => extractFeatures(r.prompt, undefined, { hashBits: OPTIONS.hashBits });
    const scores = (list: LabelledRow[], raw = false) => list.map((r) => (raw ? model.rawScore(f(r)) : model.score(f(r))));
    expect([...kinds.mcHard, ...kinds.wpHard].every((r) => !r.weak_correct)).toBe(true);
    expect([...kinds.mcEasy, ...kinds.wpEasy].every((r) => r.weak_correct)).toBe(true);
    for (const r of [...kinds.mcHard, ...kinds.mcEasy]) expect(model.pairFor(f(r)).strongRight).toBe(model.choice!.strongRight);
    for (const r of [...kinds.wpHard, ...kinds.wpEasy]) expect(model.pairFor(f(r))).toBe(model.wordProblem);

    // Raw scores: an easy item (no gain) sits below an easy word problem (the strong model loses half of those).
    expect(Math.max(...scores(kinds.mcEasy, true))).toBeLessThan(Math.min(...scores(kinds.wpEasy, true)));
    // Calibrated: interleaved by expected gain across the two pairs.
    const order = [kinds.mcHard, kinds.wpHard, kinds.mcEasy, kinds.wpEasy].map((list) => scores(list));
    for (let k = 1; k < order.length; k++) expect(Math.min(...order[k - 1]!)).toBeGreaterThan(Math.max(...order[k]!));
    // Roughly (1 + expected gain) / 2.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(order[0]!)).toBeCloseTo(1, 0);
    expect(mean(order[1]!)).toBeGreaterThan(0.55);
    expect(mean(order[1]!)).toBeLessThan(0.9);
    expect(Math.abs(mean(order[2]!) - 0.5)).toBeLessThan(0.1);
    expect(mean(order[3]!)).toBeLessThan(0.4);

    // Within one pair the order is the raw one; the calibrations survive the file.
    const all = [...kinds.mcHard, ...kinds.mcEasy];
    const raw = scores(all, true);
    const cal = scores(all);
    for (let a = 0; a < all.length; a++) for (let b = 0; b < all.length; b++) if (raw[a]! < raw[b]!) expect(cal[a]!).toBeLessThanOrEqual(cal[b]!);
    const file = model.toFile({ thresholds: { rarely: 0.9, balanced: 0.8, often: 0.7 }, thresholdShares: { rarely: 0.15, balanced: 0.35, often: 0.6 }, scoreQuantiles: [0, 1], training: {} });
    const loaded = RouterModel.fromFile(JSON.parse(JSON.stringify(file)));
    for (const r of [...all, ...kinds.wpHard]) expect(loaded.score(f(r))).toBeCloseTo(model.score(f(r)), 4);
  });
});
