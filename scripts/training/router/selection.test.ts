import { describe, expect, it } from "vitest";
import { assignFolds, type LabelledRow } from "./dataset.js";
import { extractFeatures } from "../../../electron/core/router/features.js";
import { DEFAULT_GRID, nestedCrossValidation, selectSettings, type FitAudit, type SelectionGrid } from "./selection.js";
import { RouterModel } from "../../../electron/core/router/model.js";
import { DEFAULT_TRAIN, fitModel, type TrainOptions } from "./train.js";

// Multiple-choice items from 10 subjects; a capitalised NOT (a form feature, no subject word) is what makes the
// weak model fail. Plus word problems and a few never-trained MT-Bench prompts.
function rows(): LabelledRow[] {
  const out: LabelledRow[] = [];
  for (let s = 0; s < 10; s++) {
    for (let k = 0; k < 24; k++) {
      const hard = (k + s) % 3 === 0;
      out.push({
        id: `mc/${s}/${k}`,
        source: "mmlu",
        category: `subject${s}`,
        prompt: `${hard ? "Which of these is NOT" : "Which of these is"} a topic${s} item${k} idea?\nA. alpha${s}\nB. beta${k}\nC. gamma\nD. delta\nAnswer:`,
        weak_correct: !hard,
        strong_correct: true,
      });
    }
  }
  for (let i = 0; i < 60; i++) {
    const hard = i % 3 === 0;
    out.push({
      id: `gsm/${i}`,
      source: "gsm8k",
      prompt: hard
        ? `Ann is ${i + 3} years old, ${(i % 5) + 2} years older than Bo. In ${(i % 7) + 1} years, how old will Bo be?`
        : `Sam has ${i + 3} apples and ${(i % 5) + 2} pears. How many fruits does he have?`,
      weak_correct: !hard,
      strong_correct: true,
    });
  }
  for (let i = 0; i < 4; i++) out.push({ id: `mt/${i}`, source: "mt_bench", prompt: `Write a poem number ${i}.`, weak_score: 5 + i, strong_score: 9 });
  return out;
}

const GRID: SelectionGrid = {
  ...DEFAULT_GRID,
  choice: [
    { groups: ["structure", "choice_item", "item_form"], ngrams: "none", l2Dense: 1e-2, l2Hashed: 0 },
    { groups: ["structure", "choice_item", "item_form"], ngrams: "words", l2Dense: 1e-2, l2Hashed: 1e-3 },
  ],
  wordProblemL2: [0.1, 1],
  innerFolds: 3,
  iterations: 15,
  hashBits: 10,
};
const OPTIONS: TrainOptions = { ...DEFAULT_TRAIN, hashBits: 10, iterations: 10, grid: GRID };

describe("nested cross-validation", () => {
  const data = rows();
  const features = data.map((r) => extractFeatures(r.prompt, undefined, { hashBits: 10 }));

  it("never lets an outer fold's subjects (or MT-Bench) into any fit or selection made for that fold", () => {
    const calls: { outer: number | null; inner: number | null; what: string; indices: readonly number[] }[] = [];
    const audit: FitAudit = (stage, indices) => calls.push({ ...stage, indices: [...indices] });
    const outerFolds = 4;
    const fitted: { indices: readonly number[] }[] = [];
    const result = nestedCrossValidation(data, features, outerFolds, GRID, (idx, s) => {
      fitted.push({ indices: [...idx] });
      return fitModel(data, features, idx, OPTIONS, s);
    }, audit);

    const folds = assignFolds(data, outerFolds);
    expect(result.folds).toEqual(folds);
    // Every outer fold holds whole subjects.
    const subjectFold = new Map<string, number>();
    data.forEach((r, i) => {
      if (r.source !== "mmlu") return;
      expect(subjectFold.get(r.category!) ?? folds[i]).toBe(folds[i]);
      subjectFold.set(r.category!, folds[i]!);
    });
    expect(new Set(subjectFold.values()).size).toBe(outerFolds);

    for (let f = 0; f < outerFolds; f++) {
      const heldOutSubjects = new Set(data.filter((r, i) => folds[i] === f && r.source === "mmlu").map((r) => r.category));
      const mine = calls.filter((c) => c.outer === f);
      // Outer training, one selection step per inner fold for each family of candidates.
      expect(mine.length).toBe(1 + 2 * GRID.innerFolds);
      for (const c of mine) {
        for (const i of c.indices) {
          expect(folds[i]).not.toBe(f);
          expect(data[i]!.source).not.toBe("mt_bench");
          if (data[i]!.source === "mmlu") expect(heldOutSubjects.has(data[i]!.category)).toBe(false);
        }
      }
      for (const i of fitted[f]!.indices) expect(folds[i]).not.toBe(f);
    }
    // Every trained row got a held-out score; MT-Bench got one from each outer model.
    data.forEach((r, i) => {
      if (r.source === "mt_bench") expect(Number.isNaN(result.scores[i]!)).toBe(true);
      else expect(result.scores[i]!).toBeGreaterThanOrEqual(0);
    });
    expect(result.untrainedScores).toHaveLength(outerFolds);
    expect(result.settings).toHaveLength(outerFolds);
  });

  it("selects on the rows it is given only, and the inner folds hold out whole subjects", () => {
    const subset = data.map((_, i) => i).filter((i) => data[i]!.category !== "subject0" && data[i]!.category !== "subject1");
    const seen = new Set<number>();
    const selection = selectSettings(data, features, subset, GRID, (_, idx) => idx.forEach((i) => seen.add(i)));
    for (const i of seen) expect(["subject0", "subject1"]).not.toContain(data[i]!.category);
    // The held-out scores cover exactly the multiple-choice and word-problem rows of the subset.
    for (const i of selection.heldOut.keys()) expect(subset).toContain(i);
    expect(selection.heldOut.size).toBe(subset.filter((i) => data[i]!.source !== "mt_bench").length);
    expect(GRID.choice).toContainEqual(expect.objectContaining({ ngrams: selection.settings.choice.ngrams }));
    expect(GRID.blends).toContain(selection.settings.choice.blend);
    expect(GRID.wordProblemL2).toContain(selection.settings.wordProblem.l2);
  });

  it("fits a chosen ensemble of two multiple-choice settings, and it survives a save/load round trip", () => {
    const all = data.map((_, i) => i);
    const settings = { ...selectSettings(data, features, all, GRID).settings, choice: { ...GRID.choice[0]!, blend: 0.5 }, choiceAlso: GRID.choice[1]! };
    const model = fitModel(data, features, all, OPTIONS, settings);
    expect(model.choiceAlso).toHaveLength(1);
    const file = model.toFile({ thresholds: { rarely: 0.9, balanced: 0.8, often: 0.7 }, thresholdShares: { rarely: 0.15, balanced: 0.35, often: 0.6 }, scoreQuantiles: [0, 1], training: {} });
    const loaded = RouterModel.fromFile(JSON.parse(JSON.stringify(file)));
    const single = fitModel(data, features, all, OPTIONS, { ...settings, choiceAlso: null });
    const mc = all.filter((i) => data[i]!.source === "mmlu").slice(0, 20);
    for (const i of mc) expect(loaded.score(features[i]!)).toBeCloseTo(model.score(features[i]!), 4);
    // Raw scores: on this separable set both calibrations map hard and easy items to about 1 and 0.5.
    expect(mc.some((i) => Math.abs(single.rawScore(features[i]!) - model.rawScore(features[i]!)) > 1e-4)).toBe(true);
    expect(loaded.pairFor(features[mc[0]!]!).calibration).toEqual(model.choice!.calibration);
  });

  it("finds a form signal that carries to unseen subjects", () => {
    const result = nestedCrossValidation(data, features, 4, GRID, (idx, s) => fitModel(data, features, idx, OPTIONS, s));
    // NOT items (hard) must outrank plain ones in every held-out subject.
    for (let s = 0; s < 10; s++) {
      const idx = data.map((_, i) => i).filter((i) => data[i]!.category === `subject${s}`);
      const hard = idx.filter((i) => !data[i]!.weak_correct).map((i) => result.scores[i]!);
      const easy = idx.filter((i) => data[i]!.weak_correct).map((i) => result.scores[i]!);
      expect(Math.min(...hard)).toBeGreaterThan(Math.max(...easy));
    }
  });
});
