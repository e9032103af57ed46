/**
 * Offline training of the router's logistic regression: full-batch L-BFGS on the weighted cross-entropy with L2,
 * deterministic (no shuffling, no random init), a few seconds on a laptop CPU.
 */

import { DENSE_COUNT, type PromptFeatures } from "./features.js";
import { assignFolds, FOLDS, hasLabels, qualities, TRAIN_SOURCES, type LabelledRow } from "./dataset.js";
import { isFreeForm, isWordProblem, LinearHead, RouterModel, sigmoid, type EscalationThresholds, type ModelFile } from "./model.js";
import { lbfgs } from "./lbfgs.js";
import { fitScaledPair } from "./scaled-head.js";
import { WORD_PROBLEM_HEAD_FEATURES } from "./word-problem.js";

/**
 * What a head learns to predict: "strong_right" (the strong model answers correctly / its judge score, scaled
 * to 0..1) or "weak_wrong" (the weak model fails / 1 - its scaled judge score).
 */
export type HeadLabel = "strong_right" | "weak_wrong";

export type TrainOptions = {
  hashBits: number;
  l2Dense: number;
  l2Hashed: number;
  iterations: number;
  /** L2 strength of the word-problem pair (on standardised features, mean loss). */
  l2WordProblem: number;
  /**
   * Total weight of each source (its rows share it equally); sources not named weigh their row count.
   * GSM8K is small next to MMLU but is the closest thing to chat prompts in the data, so it is weighed up.
   */
  sourceWeight?: Record<string, number>;
};

export const DEFAULT_TRAIN: TrainOptions = {
  hashBits: 16,
  l2Dense: 1e-4,
  l2Hashed: 3e-4,
  iterations: 60,
  l2WordProblem: 0.1,
  sourceWeight: { mmlu: 1, gsm8k: 0.3 },
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

/** The head pairs (general, multiple-choice, word problems), trained on the labelled rows of the training sources among `indices`. */
export function fitModel(rows: readonly LabelledRow[], features: readonly PromptFeatures[], indices: readonly number[], options: TrainOptions): RouterModel {
  const keep = indices.filter((i) => TRAIN_SOURCES.has(rows[i]!.source) && hasLabels(rows[i]!));
  const trainRows = keep.map((i) => rows[i]!);
  const trainFeatures = keep.map((i) => features[i]!);
  const pair = (rowsIn: readonly LabelledRow[], featuresIn: readonly PromptFeatures[]) => {
    const weights = rowWeights(rowsIn, options.sourceWeight);
    const head = (label: HeadLabel) => trainHead(featuresIn, rowsIn.map((r) => target(r, label)), weights, options);
    return { strongRight: head("strong_right"), weakWrong: head("weak_wrong") };
  };
  const general = pair(trainRows, trainFeatures);
  // Multiple-choice prompts get their own pair, trained on multiple-choice rows only (falls back to the general
  // pair when there are none).
  const choiceIdx = trainFeatures.map((f, i) => (isFreeForm(f) ? -1 : i)).filter((i) => i >= 0);
  const choice = choiceIdx.length ? pair(choiceIdx.map((i) => trainRows[i]!), choiceIdx.map((i) => trainFeatures[i]!)) : general;
  // Word problems get a compact model over their difficulty features alone (no n-grams).
  const wordIdx = trainFeatures.map((f, i) => (isWordProblem(f) ? i : -1)).filter((i) => i >= 0);
  const wordProblem = wordIdx.length >= MIN_WORD_PROBLEMS
    ? fitScaledPair(
      wordIdx.map((i) => trainFeatures[i]!),
      WORD_PROBLEM_HEAD_FEATURES,
      {
        strongRight: wordIdx.map((i) => target(trainRows[i]!, "strong_right")),
        weakWrong: wordIdx.map((i) => target(trainRows[i]!, "weak_wrong")),
      },
      options.l2WordProblem,
    )
    : null;
  return new RouterModel(options.hashBits, general, choice, wordProblem);
}

export type TrainedRouter = {
  model: RouterModel;
  file: ModelFile;
  /** Every row's score from a model that never saw it (its fold held out; MT-Bench by the final model). */
  heldOutScores: number[];
  folds: number[];
};

/**
 * The full recipe: group k-fold (MMLU by subject) for held-out scores, the final model on every training row,
 * and the level thresholds calibrated on the held-out scores, since those, not the training scores, are how the
 * final model's scores spread on prompts it has never seen.
 */
export function trainRouter(rows: readonly LabelledRow[], features: readonly PromptFeatures[], options: TrainOptions, foldSeed = 0): TrainedRouter {
  const folds = assignFolds(rows, FOLDS, foldSeed);
  const all = rows.map((_, i) => i);
  const heldOutScores = new Array<number>(rows.length).fill(Number.NaN);
  const foldCount = Math.max(-1, ...folds) + 1;
  for (let f = 0; f < foldCount; f++) {
    const model = fitModel(rows, features, all.filter((i) => folds[i] !== f), options);
    for (const i of all) if (folds[i] === f) heldOutScores[i] = model.score(features[i]!);
  }
  const model = fitModel(rows, features, all, options);
  for (const i of all) if (folds[i] === -1) heldOutScores[i] = model.score(features[i]!);

  // Calibration uses only the score distribution (no labels), of every source, each weighing the same; MT-Bench,
  // never trained on, is the most chat-like prompt set here.
  const calibration = all.filter((i) => Number.isFinite(heldOutScores[i]!));
  const scores = calibration.map((i) => heldOutScores[i]!);
  const sources = calibration.map((i) => rows[i]!.source);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const scoreStd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  const counts: Record<string, number> = {};
  for (const s of sources) counts[s] = (counts[s] ?? 0) + 1;
  const file = model.toFile({
    thresholds: calibrateThresholds(scores, sources),
    thresholdShares: LEVEL_SHARES,
    scoreQuantiles: scoreQuantiles(scores, sources),
    training: {
      heads: "strong_right + weak_wrong; general pair (all rows) for free-form prompts, multiple-choice pair (multiple-choice rows) for those, word-problem pair (word problems, standardised word-problem features) for those",
      l2Dense: options.l2Dense,
      l2WordProblem: options.l2WordProblem,
      l2Hashed: options.l2Hashed,
      iterations: options.iterations,
      sourceWeight: options.sourceWeight ?? null,
      rows: counts,
      folds: foldCount,
      scoreStd: Number(scoreStd.toPrecision(4)),
    },
  });
  return { model, file, heldOutScores, folds };
}
