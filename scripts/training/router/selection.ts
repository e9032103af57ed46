/**
 * Model selection by cross-validation on the rows it is given, and nested cross-validation around it.
 *
 * selectSettings chooses, on the given training rows only, every setting of the two pairs that score the
 * benchmark's prompts: for multiple-choice items the feature groups, the n-gram kind (none, shape, words), the L2
 * strengths and the blend of the two heads; for word problems the L2 strength and the blend. Each candidate is
 * scored by the APGR of its held-out scores in an inner group k-fold (MMLU by whole subjects, so a setting wins by
 * carrying to subjects it was not fitted on; word problems by item).
 *
 * nestedCrossValidation wraps that in an outer group k-fold: for each outer fold, selection and fitting see only
 * the other folds' rows, and the outer fold's subjects are scored by a model that neither they nor any choice
 * made for it ever saw. The outer scores are the honest estimate of the recipe; the shipped model's settings are
 * chosen by the same selectSettings on all rows.
 */

import { assignFolds, hasLabels, qualities, TRAIN_SOURCES, type LabelledRow } from "./dataset.js";
import { FEATURE_GROUPS, type FeatureGroup, type PromptFeatures } from "../../../electron/core/router/features.js";
import { routingMetrics } from "./metrics.js";
import { isFreeForm, isWordProblem, rawScore, sigmoid, type RouterModel, type ScoringPair } from "../../../electron/core/router/model.js";
import type { NgramKind } from "../../../electron/core/router/ngrams.js";
import { fitScaledPair } from "./fit-scaled-head.js";
import { fitSparsePair } from "./sparse-fit.js";
import { WORD_PROBLEM_HEAD_FEATURES } from "../../../electron/core/router/word-problem.js";

export type ChoiceConfig = { groups: FeatureGroup[]; ngrams: NgramKind; l2Dense: number; l2Hashed: number };

export type SelectedSettings = {
  choice: ChoiceConfig & { blend: number };
  /** A second multiple-choice configuration averaged with the first (logit mean), or null. */
  choiceAlso: ChoiceConfig | null;
  wordProblem: { l2: number; blend: number };
  /** Inner-CV APGR of each candidate (for the record): choice candidates in grid order, then word-problem ones. */
  innerApgr: { choice: number[]; wordProblem: number[] };
};

export type SelectionGrid = {
  choice: readonly ChoiceConfig[];
  wordProblemL2: readonly number[];
  blends: readonly number[];
  innerFolds: number;
  /** L-BFGS iterations for the multiple-choice pair. */
  iterations: number;
  hashBits: number;
};

const FORM: FeatureGroup[] = ["structure", "choice_item", "item_form"];

/**
 * Small on purpose (2 shared CPU cores): form features alone at two L2 strengths, with the old structure-only
 * set, with the subject-bearing domain families, with shape n-grams, and with word n-grams at three strengths.
 */
export const DEFAULT_GRID: SelectionGrid = {
  choice: [
    { groups: ["structure", "choice_item"], ngrams: "none", l2Dense: 1e-3, l2Hashed: 0 },
    { groups: FORM, ngrams: "none", l2Dense: 1e-3, l2Hashed: 0 },
    { groups: FORM, ngrams: "none", l2Dense: 1e-2, l2Hashed: 0 },
    { groups: [...FORM, "domain"], ngrams: "none", l2Dense: 1e-3, l2Hashed: 0 },
    { groups: FORM, ngrams: "shape", l2Dense: 1e-3, l2Hashed: 1e-3 },
    { groups: [...FORM, "domain"], ngrams: "words", l2Dense: 1e-3, l2Hashed: 3e-3 },
    { groups: [...FORM, "domain"], ngrams: "words", l2Dense: 1e-3, l2Hashed: 3e-4 },
    { groups: [...FORM, "domain"], ngrams: "words", l2Dense: 1e-3, l2Hashed: 1e-4 },
  ],
  wordProblemL2: [0.03, 0.1, 0.3, 1],
  blends: [0.25, 0.5, 0.75],
  innerFolds: 4,
  iterations: 40,
  hashBits: 16,
};

/** Every fit and every selection step reports the rows it learns from, so tests can check no held-out row leaks. */
export type FitAudit = (stage: { outer: number | null; inner: number | null; what: string }, trainIndices: readonly number[]) => void;

export function groupNames(groups: readonly FeatureGroup[]): string[] {
  return groups.flatMap((g) => FEATURE_GROUPS[g]);
}

export function targets(rows: readonly LabelledRow[], indices: readonly number[]) {
  const scaled = (r: LabelledRow, q: number) => (typeof r.weak_score === "number" ? Math.min(1, Math.max(0, (q - 1) / 9)) : q);
  return {
    strongRight: indices.map((i) => scaled(rows[i]!, qualities(rows[i]!).strong)),
    weakWrong: indices.map((i) => 1 - scaled(rows[i]!, qualities(rows[i]!).weak)),
  };
}

export function fitChoicePair(rows: readonly LabelledRow[], features: readonly PromptFeatures[], idx: readonly number[], config: ChoiceConfig, grid: SelectionGrid, blend = 0.5) {
  return fitSparsePair(idx.map((i) => features[i]!), groupNames(config.groups), targets(rows, idx), { ngrams: config.ngrams, hashBits: grid.hashBits, l2Dense: config.l2Dense, l2Hashed: config.l2Hashed, iterations: grid.iterations }, blend);
}

export function fitWordProblemPair(rows: readonly LabelledRow[], features: readonly PromptFeatures[], idx: readonly number[], l2: number, blend = 0.5) {
  return { ...fitScaledPair(idx.map((i) => features[i]!), WORD_PROBLEM_HEAD_FEATURES, targets(rows, idx), l2), blend };
}

function apgrOf(rows: readonly LabelledRow[], idx: readonly number[], scores: readonly number[]): number {
  const a = routingMetrics(idx.map((i, k) => ({ score: scores[k]!, ...qualities(rows[i]!) }))).apgr;
  return Number.isFinite(a) ? a : 0;
}

type Pair = { strongRight: { logit(f: PromptFeatures): number }; weakWrong: { logit(f: PromptFeatures): number } };

/**
 * Inner cross-validation of one family of candidates over `idx`: returns, per candidate, each row's held-out
 * logits of P(strong right) and P(weak wrong), in idx order.
 */
function innerProbabilities<C>(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  idx: readonly number[],
  innerFolds: number,
  candidates: readonly C[],
  fit: (trainIdx: readonly number[], candidate: C) => Pair,
  audit: (inner: number, trainIdx: readonly number[]) => void,
): Logits[] {
  const folds = assignFolds(idx.map((i) => rows[i]!), innerFolds);
  const out = candidates.map(() => ({ sr: new Float64Array(idx.length), ww: new Float64Array(idx.length) }));
  for (let f = 0; f < innerFolds; f++) {
    const trainIdx = idx.filter((_, k) => folds[k] !== f);
    const testK = idx.map((_, k) => k).filter((k) => folds[k] === f);
    if (!testK.length || !trainIdx.length) continue;
    audit(f, trainIdx);
    candidates.forEach((candidate, c) => {
      const pair = fit(trainIdx, candidate);
      for (const k of testK) {
        const feat = features[idx[k]!]!;
        out[c]!.sr[k] = pair.strongRight.logit(feat);
        out[c]!.ww[k] = pair.weakWrong.logit(feat);
      }
    });
  }
  return out;
}

type Logits = { sr: Float64Array; ww: Float64Array };

/**
 * Each row's out-of-fold raw score over `idx` (in idx order): a group k-fold (as assignFolds deals them), `fit` on
 * the other folds, scoring the held-out one. What a pair's calibration is fitted on.
 */
export function outOfFoldScores(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  idx: readonly number[],
  innerFolds: number,
  fit: (trainIdx: readonly number[]) => ScoringPair,
): number[] {
  const folds = assignFolds(idx.map((i) => rows[i]!), innerFolds);
  const out = new Array<number>(idx.length).fill(Number.NaN);
  for (let f = 0; f < innerFolds; f++) {
    const trainIdx = idx.filter((_, k) => folds[k] !== f);
    const testK = idx.map((_, k) => k).filter((k) => folds[k] === f);
    if (!testK.length || !trainIdx.length) continue;
    const pair = fit(trainIdx);
    for (const k of testK) out[k] = rawScore(pair, features[idx[k]!]!);
  }
  return out;
}

/**
 * Best (candidate, blend) by held-out APGR; ties keep the earlier (simpler) candidate. With `ensembles`, every
 * two candidates' mean logits compete too (after all single candidates, so a tie keeps the single one).
 */
function best(rows: readonly LabelledRow[], idx: readonly number[], logits: Logits[], blends: readonly number[], ensembles = false) {
  let top = { candidate: 0, also: -1, blend: 0.5, apgr: -Infinity, scores: [] as number[] };
  const perCandidate: number[] = [];
  const consider = (l: Logits, candidate: number, also: number) => {
    let candidateBest = -Infinity;
    for (const blend of blends) {
      const scores = Array.from(l.sr, (sr, k) => blend * sigmoid(sr) + (1 - blend) * sigmoid(l.ww[k]!));
      const apgr = apgrOf(rows, idx, scores);
      candidateBest = Math.max(candidateBest, apgr);
      if (apgr > top.apgr + 1e-9) top = { candidate, also, blend, apgr, scores };
    }
    return candidateBest;
  };
  logits.forEach((l, c) => perCandidate.push(Number(consider(l, c, -1).toFixed(4))));
  if (ensembles) {
    for (let a = 0; a < logits.length; a++) {
      for (let b = a + 1; b < logits.length; b++) {
        const mean = (x: Float64Array, y: Float64Array) => Float64Array.from(x, (v, k) => (v + y[k]!) / 2);
        consider({ sr: mean(logits[a]!.sr, logits[b]!.sr), ww: mean(logits[a]!.ww, logits[b]!.ww) }, a, b);
      }
    }
  }
  return { ...top, perCandidate };
}

export type Selection = {
  settings: SelectedSettings;
  /**
   * Held-out (inner) raw scores of the chosen settings, by row index: the multiple-choice and word-problem rows
   * (the same out-of-fold scores their calibrations are fitted on).
   */
  heldOut: Map<number, number>;
};

/** The trainable rows among `indices`, split into multiple-choice items and word problems. */
export function trainableSplit(rows: readonly LabelledRow[], features: readonly PromptFeatures[], indices: readonly number[]) {
  const keep = indices.filter((i) => TRAIN_SOURCES.has(rows[i]!.source) && hasLabels(rows[i]!));
  return {
    keep,
    choice: keep.filter((i) => !isFreeForm(features[i]!)),
    wordProblem: keep.filter((i) => isWordProblem(features[i]!)),
  };
}

/** Chooses every setting of the multiple-choice and word-problem pairs by inner cross-validation over `indices` only. */
export function selectSettings(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  indices: readonly number[],
  grid: SelectionGrid = DEFAULT_GRID,
  audit: FitAudit = () => {},
  outer: number | null = null,
): Selection {
  const { choice, wordProblem } = trainableSplit(rows, features, indices);
  const heldOut = new Map<number, number>();

  const choiceLogits = innerProbabilities(rows, features, choice, grid.innerFolds, grid.choice, (t, c) => fitChoicePair(rows, features, t, c, grid), (inner, t) => audit({ outer, inner, what: "select multiple-choice" }, t));
  const c = best(rows, choice, choiceLogits, grid.blends, true);
  choice.forEach((i, k) => heldOut.set(i, c.scores[k]!));

  const wpLogits = innerProbabilities(rows, features, wordProblem, grid.innerFolds, grid.wordProblemL2, (t, l2) => fitWordProblemPair(rows, features, t, l2), (inner, t) => audit({ outer, inner, what: "select word problems" }, t));
  const w = best(rows, wordProblem, wpLogits, grid.blends);
  wordProblem.forEach((i, k) => heldOut.set(i, w.scores[k]!));

  return {
    settings: {
      choice: { ...grid.choice[c.candidate]!, blend: c.blend },
      choiceAlso: c.also >= 0 ? grid.choice[c.also]! : null,
      wordProblem: { l2: grid.wordProblemL2[w.candidate]!, blend: w.blend },
      innerApgr: { choice: c.perCandidate, wordProblem: w.perCandidate },
    },
    heldOut,
  };
}

export type NestedResult = {
  /** Each trainable row's score from the outer model that never saw its fold (NaN for rows never trained on). */
  scores: number[];
  /** Outer fold of each row (-1: never trained on, e.g. MT-Bench). */
  folds: number[];
  /** Settings chosen inside each outer fold. */
  settings: SelectedSettings[];
  /** Scores of the never-trained rows (MT-Bench) by each outer fold's model. */
  untrainedScores: number[][];
};

/**
 * Nested cross-validation: `outerFolds` group folds (MMLU by subject, others by item); inside each, selectSettings
 * on the other folds only, then `fit` with the chosen settings on the other folds, then scoring of the held-out
 * fold. `fit` builds the whole router model (train.ts's fitModel, calibrations included, from the selection's held-out
 * scores of the outer-training rows), so the outer figure is the shipped recipe's.
 */
export function nestedCrossValidation(
  rows: readonly LabelledRow[],
  features: readonly PromptFeatures[],
  outerFolds: number,
  grid: SelectionGrid,
  fit: (indices: readonly number[], settings: SelectedSettings, heldOut: ReadonlyMap<number, number>) => RouterModel,
  audit: FitAudit = () => {},
  log: (line: string) => void = () => {},
  /** Another outer split of the same kind (assignFolds' seed), for repeated nested cross-validation. */
  seed = 0,
): NestedResult {
  const folds = assignFolds(rows, outerFolds, seed);
  const all = rows.map((_, i) => i);
  const scores = new Array<number>(rows.length).fill(Number.NaN);
  const settings: SelectedSettings[] = [];
  const untrained = all.filter((i) => folds[i] === -1);
  const untrainedScores: number[][] = [];
  for (let f = 0; f < outerFolds; f++) {
    const t0 = Date.now();
    const trainIdx = all.filter((i) => folds[i] !== f && folds[i] !== -1);
    audit({ outer: f, inner: null, what: "outer training" }, trainIdx);
    const { settings: chosen, heldOut } = selectSettings(rows, features, trainIdx, grid, audit, f);
    settings.push(chosen);
    const model = fit(trainIdx, chosen, heldOut);
    for (const i of all) if (folds[i] === f) scores[i] = model.score(features[i]!);
    untrainedScores.push(untrained.map((i) => model.score(features[i]!)));
    log(`${seed ? `split ${seed}, ` : ""}outer fold ${f + 1}/${outerFolds}: ${((Date.now() - t0) / 1000).toFixed(0)} s, chose ${describeSettings(chosen)}`);
  }
  return { scores, folds, settings, untrainedScores };
}

export function describeSettings(s: SelectedSettings): string {
  const one = (c: ChoiceConfig) => `${c.groups.join("+")}, n-grams ${c.ngrams}${c.ngrams === "none" ? "" : ` (L2 ${c.l2Hashed})`}, L2 ${c.l2Dense}`;
  const choice = s.choiceAlso ? `mean of [${one(s.choice)}] and [${one(s.choiceAlso)}]` : one(s.choice);
  return `multiple choice: ${choice}, blend ${s.choice.blend}; word problems: L2 ${s.wordProblem.l2}, blend ${s.wordProblem.blend}`;
}
