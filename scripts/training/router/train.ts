/**
 * Offline training of the router: settings chosen by cross-validation (selection.ts), then full-batch L-BFGS /
 * Newton fits on the weighted cross-entropy with L2, deterministic (no shuffling, no random init), and each pair's
 * calibration onto the common scale (calibration.ts) from its out-of-fold scores.
 */

import { calibrate, type Calibration } from "../../../electron/core/router/calibration.js";
import { fitCalibration } from "./fit-calibration.js";
import { DENSE_COUNT, type PromptFeatures } from "../../../electron/core/router/features.js";
import { qualities, TRAIN_SOURCES, type LabelledRow } from "./dataset.js";
import { isFreeForm, LinearHead, meanPair, RouterModel, sigmoid, type EscalationThresholds, type HeadPair, type ModelFile } from "../../../electron/core/router/model.js";
import { lbfgs } from "./lbfgs.js";
import {
  DEFAULT_GRID,
  describeSettings,
  fitChoicePair,
  fitWordProblemPair,
  outOfFoldScores,
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

/** Share of each source's scores at or above each level's threshold. */
export function levelSharesBySource(scores: readonly number[], sources: readonly string[], thresholds: EscalationThresholds): Record<string, EscalationThresholds> {
  const out: Record<string, EscalationThresholds> = {};
  for (const source of new Set(sources)) {
    const mine = scores.filter((_, i) => sources[i] === source);
    const share = (t: number) => Number((mine.filter((s) => s >= t).length / mine.length).toFixed(4));
    out[source] = { rarely: share(thresholds.rarely), balanced: share(thresholds.balanced), often: share(thresholds.often) };
  }
  return out;
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

/** Quality gain of escalating a row: strong minus weak quality, -1..1 (judge scores scaled by 9). */
export function gain(row: LabelledRow): number {
  const { weak, strong } = qualities(row);
  return typeof row.weak_score === "number" ? (strong - weak) / 9 : strong - weak;
}

/** The general pair fitted on the rows `idx` (source weights among them). */
function fitGeneralPair(rows: readonly LabelledRow[], features: readonly PromptFeatures[], idx: readonly number[], options: TrainOptions): HeadPair {
  const trainRows = idx.map((i) => rows[i]!);
  const trainFeatures = idx.map((i) => features[i]!);
  const weights = rowWeights(trainRows, options.sourceWeight);
  const head = (label: HeadLabel) => trainHead(trainFeatures, trainRows.map((r) => target(r, label)), weights, options);
  return { strongRight: head("strong_right"), weakWrong: head("weak_wrong") };
}

/**
 * A pair's calibration from the out-of-fold raw scores of its own training rows `idx`: those in `heldOut` (the
 * selection's inner cross-validation, which used the same folds and settings) or else from `outOfFold()`.
 */
function calibrationOf(rows: readonly LabelledRow[], idx: readonly number[], heldOut: ReadonlyMap<number, number> | undefined, outOfFold: () => number[], weights?: readonly number[]): Calibration {
  const raw = heldOut && idx.every((i) => heldOut.has(i)) ? idx.map((i) => heldOut.get(i)!) : outOfFold();
  const keep = idx.map((_, k) => k).filter((k) => Number.isFinite(raw[k]!));
  return fitCalibration(keep.map((k) => raw[k]!), keep.map((k) => gain(rows[idx[k]!]!)), weights && keep.map((k) => weights[k]!));
}

/**
 * The head pairs (general, multiple-choice, word problems) with the given settings, trained on the labelled rows
 * of the training sources among `indices`, each with its calibration onto the common scale. `heldOut`: the
 * selection's out-of-fold raw scores of the multiple-choice and word-problem rows (selectSettings), so they are
 * not fitted again; without it they are computed here. The general pair's come from its own inner k-fold over
 * every training row it learns from, weighted as in its fit.
 */
export function fitModel(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  indices: readonly number[],
  options: TrainOptions,
  settings: SelectedSettings,
  heldOut?: ReadonlyMap<number, number>,
): RouterModel {
  const { keep, choice, wordProblem } = trainableSplit(rows, features, indices);
  const folds = options.grid.innerFolds;
  const general: HeadPair = fitGeneralPair(rows, features, keep, options);
  general.calibration = calibrationOf(rows, keep, undefined, () => outOfFoldScores(rows, features, keep, folds, (t) => fitGeneralPair(rows, features, t, options)), rowWeights(keep.map((i) => rows[i]!), options.sourceWeight));

  const fitChoice = (idx: readonly number[]) => {
    const first = fitChoicePair(rows, features, idx, settings.choice, options.grid, settings.choice.blend);
    const also = settings.choiceAlso ? [fitChoicePair(rows, features, idx, settings.choiceAlso, options.grid, settings.choice.blend)] : [];
    return { first, also };
  };
  let choicePair = null;
  let choiceAlso: ReturnType<typeof fitChoice>["also"] = [];
  if (choice.length) {
    const fitted = fitChoice(choice);
    const calibration = calibrationOf(rows, choice, heldOut, () =>
      outOfFoldScores(rows, features, choice, folds, (t) => {
        const { first, also } = fitChoice(t);
        return also.length ? meanPair([first, ...also]) : first;
      }),
    );
    choicePair = { ...fitted.first, calibration };
    choiceAlso = fitted.also;
  }
  // Word problems get a compact model over their difficulty features alone (no n-grams).
  const fitWord = (idx: readonly number[]) => fitWordProblemPair(rows, features, idx, settings.wordProblem.l2, settings.wordProblem.blend);
  const wordPair =
    wordProblem.length >= MIN_WORD_PROBLEMS
      ? { ...fitWord(wordProblem), calibration: calibrationOf(rows, wordProblem, heldOut, () => outOfFoldScores(rows, features, wordProblem, folds, fitWord)) }
      : null;
  return new RouterModel(options.hashBits, general, choicePair, wordPair, choiceAlso);
}

export type TrainedRouter = {
  model: RouterModel;
  file: ModelFile;
  settings: SelectedSettings;
  /**
   * Each row's held-out (calibrated) score: multiple-choice and word-problem rows from the selection's inner
   * cross-validation (the chosen settings, fold held out), through the final pair's calibration; the rest (MT-Bench,
   * never trained on) by the final model.
   */
  heldOutScores: number[];
};

/**
 * The shipped recipe: selectSettings on every row (the same inner procedure nested cross-validation runs in each
 * outer fold), the final model with those settings (and each pair's calibration) on every training row, and the
 * level thresholds set on the common scale from the training sources' held-out scores, since those, not the
 * training scores, are how the final model's scores spread on prompts it has never seen.
 */
export function trainRouter(rows: readonly LabelledRow[], features: readonly PromptFeatures[], options: TrainOptions, audit?: FitAudit): TrainedRouter {
  const all = rows.map((_, i) => i);
  const { settings, heldOut } = selectSettings(rows, features, all, options.grid, audit);
  const model = fitModel(rows, features, all, options, settings, heldOut);
  const heldOutScores = all.map((i) => {
    const raw = heldOut.get(i);
    return raw === undefined ? model.score(features[i]!) : calibrate(model.pairFor(features[i]!).calibration, raw);
  });

  // Thresholds use only the held-out score distribution (no labels) of the training sources, each weighing the
  // same; MT-Bench, never trained on, is never fitted on either, so its shares per level are an honest check.
  const scores = heldOutScores;
  const sources = rows.map((r) => r.source);
  const fitIdx = all.filter((i) => TRAIN_SOURCES.has(sources[i]!));
  const fitScores = fitIdx.map((i) => scores[i]!);
  const fitSources = fitIdx.map((i) => sources[i]!);
  const mean = fitScores.reduce((a, b) => a + b, 0) / fitScores.length;
  const scoreStd = Math.sqrt(fitScores.reduce((a, b) => a + (b - mean) ** 2, 0) / fitScores.length);
  const counts: Record<string, number> = {};
  for (const s of sources) counts[s] = (counts[s] ?? 0) + 1;
  const thresholds = calibrateThresholds(fitScores, fitSources);
  const file = model.toFile({
    thresholds,
    thresholdShares: LEVEL_SHARES,
    scoreQuantiles: scoreQuantiles(fitScores, fitSources),
    training: {
      heads: "strong_right + weak_wrong; general pair (all rows) for free-form prompts, multiple-choice pair (multiple-choice rows) for those, word-problem pair (word problems) for those",
      selected: describeSettings(settings),
      selection: "settings chosen by inner group k-fold on all rows (MMLU by subject), the procedure bench:router nests in each outer fold",
      calibration: "each pair's raw score mapped to (1 + expected quality gain) / 2 by sigmoid(slope * logit(raw) + intercept), fitted on that pair's out-of-fold scores of its own training rows; thresholds on that scale",
      settings,
      general: { l2Dense: options.l2Dense, l2Hashed: options.l2Hashed, iterations: options.iterations, sourceWeight: options.sourceWeight ?? null },
      rows: counts,
      innerFolds: options.grid.innerFolds,
      scoreStd: Number(scoreStd.toPrecision(4)),
      // On the common scale a threshold t means "escalate when the expected quality gain is at least 2t - 1".
      thresholdGains: Object.fromEntries(Object.entries(thresholds).map(([level, t]) => [level, Number((2 * t - 1).toFixed(4))])),
      heldOutLevelShares: levelSharesBySource(scores, sources, thresholds),
    },
  });
  return { model, file, settings, heldOutScores };
}
