/**
 * Offline training of the router: settings chosen by cross-validation (selection.ts), then full-batch L-BFGS /
 * Newton fits on the weighted cross-entropy with L2, deterministic (no shuffling, no random init).
 */

import { DENSE_COUNT, type PromptFeatures } from "./features.js";
import { qualities, type LabelledRow } from "./dataset.js";
import { isFreeForm, LinearHead, RouterModel, sigmoid, type EscalationThresholds, type ModelFile } from "./model.js";
import { lbfgs } from "./lbfgs.js";
import {
  DEFAULT_GRID,
  describeSettings,
  fitChoicePair,
  fitWordProblemPair,
  selectSettings,
  trainableSplit,
  type FitAudit,
  type SelectedSettings,
  type SelectionGrid,
} from "./selection.js";

/**
 * What a head learns to predict: "strong_right" (the strong model answers correctly / its judge score, scaled
 * to 0..1) or "weak_wrong" (the weak model fails / 1 - its scaled judge score).
 */
export type HeadLabel = "strong_right" | "weak_wrong";

/**
 * Options of the general pair (which scores free-form prompts that are not word problems: chat, code, writing;
 * no labelled data of that kind exists here, so these are fixed a priori, not tuned) and the selection grid of
 * the multiple-choice and word-problem pairs.
 */
export type TrainOptions = {
  hashBits: number;
  l2Dense: number;
  l2Hashed: number;
  iterations: number;
  /**
   * Total weight of each source (its rows share it equally); sources not named weigh their row count.
   * GSM8K is small next to MMLU but is the closest thing to chat prompts in the data, so it is weighed up.
   */
  sourceWeight?: Record<string, number>;
  grid: SelectionGrid;
};

export const DEFAULT_TRAIN: TrainOptions = {
  hashBits: 16,
  l2Dense: 1e-4,
  l2Hashed: 3e-4,
  iterations: 60,
  sourceWeight: { mmlu: 1, gsm8k: 0.3 },
  grid: DEFAULT_GRID,
};

export function target(row: LabelledRow, label: HeadLabel): number {
  const { weak, strong } = qualities(row);
  // Judge scores run 1..10; correctness is 0/1.
  const scaled = (q: number) => (typeof row.weak_score === "number" ? Math.min(1, Math.max(0, (q - 1) / 9)) : q);
  switch (label) {
    case "strong_right":
      return scaled(strong);
    case "weak_wrong":
      return 1 - scaled(weak);
    default:
      return label satisfies never;
  }
}

export function rowWeights(rows: readonly LabelledRow[], sourceWeight: Record<string, number> | undefined): number[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  return rows.map((r) => {
    const total = sourceWeight?.[r.source];
    return total === undefined ? 1 : total / counts.get(r.source)!;
  });
}

export function trainHead(features: readonly PromptFeatures[], targets: readonly number[], weights: readonly number[], options: TrainOptions): LinearHead {
  const D = DENSE_COUNT;
  const H = 1 << options.hashBits;
  const dim = 2 * D + H;
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const freeForm = features.map(isFreeForm);

  const lossAndGrad = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      const free = freeForm[i]!;
      let z = 0;
      for (let j = 0; j < D; j++) {
        const v = f.dense[j]!;
        if (v === 0) continue;
        z += v * theta[j]!;
        if (free) z += v * theta[D + j]!;
      }
      for (let k = 0; k < f.hashedIndex.length; k++) z += f.hashedValue[k]! * theta[2 * D + f.hashedIndex[k]!]!;
      const t = targets[i]!;
      const w = weights[i]! / weightSum;
      // Stable cross-entropy: log(1 + e^z) - t z.
      loss += w * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z);
      const g = w * (sigmoid(z) - t);
      for (let j = 0; j < D; j++) {
        const v = f.dense[j]!;
        if (v === 0) continue;
        grad[j]! += g * v;
        if (free) grad[D + j]! += g * v;
      }
      for (let k = 0; k < f.hashedIndex.length; k++) grad[2 * D + f.hashedIndex[k]!]! += g * f.hashedValue[k]!;
    }
    for (let j = 0; j < dim; j++) {
      if (j === 0) continue; // bias is not regularised
      const l2 = j < 2 * D ? options.l2Dense : options.l2Hashed;
      loss += 0.5 * l2 * theta[j]! * theta[j]!;
      grad[j]! += l2 * theta[j]!;
    }
    return loss;
  };

  const theta = lbfgs(lossAndGrad, new Float64Array(dim), options.iterations);
  return new LinearHead(options.hashBits, theta.slice(0, 2 * D), Float32Array.from(theta.subarray(2 * D)));
}

export const LEVEL_SHARES: EscalationThresholds = { rarely: 0.15, balanced: 0.35, often: 0.6 };

/**
 * Score thresholds giving each level's strong-call share, with every source weighing the same (so the large
 * MMLU file does not set the thresholds alone).
 */
export function calibrateThresholds(scores: readonly number[], sources: readonly string[]): EscalationThresholds {
  const counts = new Map<string, number>();
  for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
  const items = scores.map((score, i) => ({ score, w: 1 / (counts.size * counts.get(sources[i]!)!) }));
  items.sort((a, b) => b.score - a.score);
  const at = (share: number) => {
    let acc = 0;
    for (const it of items) {
      acc += it.w;
      if (acc >= share) return it.score;
    }
    return items[items.length - 1]?.score ?? 0.5;
  };
  return { rarely: at(LEVEL_SHARES.rarely), balanced: at(LEVEL_SHARES.balanced), often: at(LEVEL_SHARES.often) };
}

/** Source-weighted quantiles (0%, 1%, ..., 100%) of the scores, every source weighing the same. */
export function scoreQuantiles(scores: readonly number[], sources: readonly string[], points = 101): number[] {
  const counts = new Map<string, number>();
  for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
  const items = scores.map((score, i) => ({ score, w: 1 / (counts.size * counts.get(sources[i]!)!) }));
  items.sort((a, b) => a.score - b.score);
  const out: number[] = [];
  let acc = 0;
  let k = 0;
  for (let p = 0; p < points; p++) {
    const q = p / (points - 1);
    while (k < items.length - 1 && acc + items[k]!.w < q) {
      acc += items[k]!.w;
      k++;
    }
    out.push(Number((items[k]?.score ?? 0.5).toPrecision(7)));
  }
  return out;
}

/** Fewest labelled word problems worth a model of their own; with fewer, the general pair scores them. */
export const MIN_WORD_PROBLEMS = 50;

/**
 * The head pairs (general, multiple-choice, word problems) with the given settings, trained on the labelled rows
 * of the training sources among `indices`.
 */
export function fitModel(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  indices: readonly number[],
  options: TrainOptions,
  settings: SelectedSettings,
): RouterModel {
  const { keep, choice, wordProblem } = trainableSplit(rows, features, indices);
  const trainRows = keep.map((i) => rows[i]!);
  const trainFeatures = keep.map((i) => features[i]!);
  const weights = rowWeights(trainRows, options.sourceWeight);
  const head = (label: HeadLabel) => trainHead(trainFeatures, trainRows.map((r) => target(r, label)), weights, options);
  const general = { strongRight: head("strong_right"), weakWrong: head("weak_wrong") };
  const choicePair = choice.length ? fitChoicePair(rows, features, choice, settings.choice, options.grid, settings.choice.blend) : null;
  const choiceAlso = choice.length && settings.choiceAlso ? [fitChoicePair(rows, features, choice, settings.choiceAlso, options.grid, settings.choice.blend)] : [];
  // Word problems get a compact model over their difficulty features alone (no n-grams).
  const wordPair = wordProblem.length >= MIN_WORD_PROBLEMS ? fitWordProblemPair(rows, features, wordProblem, settings.wordProblem.l2, settings.wordProblem.blend) : null;
  return new RouterModel(options.hashBits, general, choicePair, wordPair, choiceAlso);
}

export type TrainedRouter = {
  model: RouterModel;
  file: ModelFile;
  settings: SelectedSettings;
  /**
   * Each row's held-out score: multiple-choice and word-problem rows from the selection's inner cross-validation
   * (the chosen settings, fold held out); the rest (MT-Bench, never trained on) by the final model.
   */
  heldOutScores: number[];
};

/**
 * The shipped recipe: selectSettings on every row (the same inner procedure nested cross-validation runs in each
 * outer fold), the final model with those settings on every training row, and the level thresholds calibrated on
 * the held-out scores, since those, not the training scores, are how the final model's scores spread on prompts
 * it has never seen.
 */
export function trainRouter(rows: readonly LabelledRow[], features: readonly PromptFeatures[], options: TrainOptions, audit?: FitAudit): TrainedRouter {
  const all = rows.map((_, i) => i);
  const { settings, heldOut } = selectSettings(rows, features, all, options.grid, audit);
  const model = fitModel(rows, features, all, options, settings);
  const heldOutScores = all.map((i) => heldOut.get(i) ?? model.score(features[i]!));

  // Calibration uses only the score distribution (no labels), of every source, each weighing the same; MT-Bench,
  // never trained on, is the most chat-like prompt set here.
  const scores = heldOutScores;
  const sources = rows.map((r) => r.source);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const scoreStd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  const counts: Record<string, number> = {};
  for (const s of sources) counts[s] = (counts[s] ?? 0) + 1;
  const file = model.toFile({
    thresholds: calibrateThresholds(scores, sources),
    thresholdShares: LEVEL_SHARES,
    scoreQuantiles: scoreQuantiles(scores, sources),
    training: {
      heads: "strong_right + weak_wrong; general pair (all rows) for free-form prompts, multiple-choice pair (multiple-choice rows) for those, word-problem pair (word problems) for those",
      selected: describeSettings(settings),
      selection: "settings chosen by inner group k-fold on all rows (MMLU by subject), the procedure bench:router nests in each outer fold",
      settings,
      general: { l2Dense: options.l2Dense, l2Hashed: options.l2Hashed, iterations: options.iterations, sourceWeight: options.sourceWeight ?? null },
      rows: counts,
      innerFolds: options.grid.innerFolds,
      scoreStd: Number(scoreStd.toPrecision(4)),
    },
  });
  return { model, file, settings, heldOutScores };
}
