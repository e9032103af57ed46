/**
 * The router's model: two logistic regressions ("heads") over the same features, one predicting that the strong
 * model answers well, one that the weak (local) model fails. There are three such pairs: a general pair trained on
 * every prompt, which scores free-form prompts; a multiple-choice pair trained on multiple-choice prompts only,
 * which scores those; and a word-problem pair trained on word problems, which scores those. The multiple-choice
 * and word-problem pairs (scaled-head.ts) read the feature groups, n-grams and L2 strengths that nested
 * cross-validation chose (scripts/training/router/selection.ts). A pair's score,
 * blend * P(strong right) + (1 - blend) * P(weak wrong),
 * at blend 0.5 estimates (1 + expected gain of escalating) / 2, but each pair's estimate has its own scale (its
 * features, L2, blend, ensembling), so each pair carries a calibration (calibration.ts) fitted on its out-of-fold
 * scores: the router's score is the calibrated one, (1 + expected quality gain) / 2 on one scale for all pairs,
 * and the level thresholds are set on that scale. The general pair's heads weigh the dense features twice
 * (shared, plus free-form-only) and the hashed word n-grams.
 * Shipped as a small JSON file: dense weights as numbers, hashed weights as base64 int16 with one scale per head.
 */

import { calibrate, calibrationFromFile, calibrationSlopeAt, type Calibration } from "./calibration.js";
import { DENSE, DENSE_COUNT, extractFeatures, type HistoryTurn, type PromptFeatures } from "./features.js";
import type { LocalSignalsFile } from "./local-signals.js";
import { scaledPairFromFile, scaledPairToFile, type ScaledPair, type ScaledPairFile } from "./scaled-head.js";

export const MODEL_FORMAT = "hearth-router";
/** 6: scores calibrated per pair onto one scale (thresholds of version 5 files are on the raw scale). */
export const MODEL_VERSION = 6;

export type EscalationThresholds = { rarely: number; balanced: number; often: number };

export type HeadFile = {
  /** 2 * DENSE_COUNT weights: shared, then free-form-only. */
  denseWeights: number[];
  /** base64 of little-endian int16 hashed weights; weight = int * hashedScale. */
  hashedWeights: string;
  hashedScale: number;
};

export type HeadPairFile = { strongRight: HeadFile; weakWrong: HeadFile; calibration?: Calibration };

export type ModelFile = {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  hashBits: number;
  /** Dense feature names, in order; checked against the code's features at load time. */
  denseNames: string[];
  heads: HeadPairFile;
  /** Heads for multiple-choice prompts (null: the general pair scores them). */
  choiceHeads: ScaledPairFile | null;
  /**
   * Further multiple-choice pairs; when present, each head's logit is the mean over all the pairs' heads, with
   * choiceHeads' blend and calibration.
   */
  choiceHeadsAlso?: ScaledPairFile[];
  /** Heads for word problems (null: the general pair scores them). */
  wordProblemHeads: ScaledPairFile | null;
  /** Calibrated-score thresholds for the three escalation levels, and the strong-call share each gives on the training data. */
  thresholds: EscalationThresholds;
  thresholdShares: EscalationThresholds;
  /** Source-weighted quantiles of the training scores: scoreQuantiles[i] is the i/100 quantile. */
  scoreQuantiles: number[];
  /** How the model was trained, for the record. */
  training: Record<string, unknown>;
  /** Learned weights of the local model's own signals (local-signals.ts); null / absent: none learned. */
  localSignals?: LocalSignalsFile | null;
};

const MC_INDEX = DENSE.findIndex((d) => d.name === "multiple_choice");
const WORD_PROBLEM_INDEX = DENSE.findIndex((d) => d.name === "word_problem");

export function isFreeForm(f: PromptFeatures): boolean {
  return f.dense[MC_INDEX] === 0;
}

export function isWordProblem(f: PromptFeatures): boolean {
  return isFreeForm(f) && f.dense[WORD_PROBLEM_INDEX] === 1;
}

/** Heads whose logit is the mean of their members' logits (an ensemble of pairs fitted with different settings). */
export class MeanHead implements Head {
  constructor(readonly members: readonly Head[]) {}

  logit(f: PromptFeatures): number {
    let z = 0;
    for (const m of this.members) z += m.logit(f);
    return z / this.members.length;
  }

  denseContributions(f: PromptFeatures): Float64Array {
    const out = new Float64Array(DENSE_COUNT);
    for (const m of this.members) {
      const c = m.denseContributions(f);
      for (let i = 0; i < out.length; i++) out[i]! += c[i]! / this.members.length;
    }
    return out;
  }
}

/** The pairs' heads averaged (at the logit), with the first pair's blend and calibration. */
export function meanPair(pairs: readonly ScaledPair[]): ScoringPair {
  return {
    strongRight: new MeanHead(pairs.map((p) => p.strongRight)),
    weakWrong: new MeanHead(pairs.map((p) => p.weakWrong)),
    blend: pairs[0]!.blend ?? 0.5,
    calibration: pairs[0]!.calibration ?? null,
  };
}

/**
 * A pair of heads, the weight of P(strong right) in their raw score, and the calibration that puts the raw score
 * on the common scale (null / absent: none, the raw score is the score).
 */
export type ScoringPair = { strongRight: Head; weakWrong: Head; blend?: number; calibration?: Calibration | null };

/** A pair's raw (uncalibrated) score: blend * P(strong right) + (1 - blend) * P(weak wrong). */
export function rawScore(pair: ScoringPair, f: PromptFeatures): number {
  const blend = pair.blend ?? 0.5;
  return blend * sigmoid(pair.strongRight.logit(f)) + (1 - blend) * sigmoid(pair.weakWrong.logit(f));
}

/** What the router needs of a head: its logit and each dense feature's part in it. */
export interface Head {
  logit(f: PromptFeatures): number;
  denseContributions(f: PromptFeatures): Float64Array;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** One logistic regression over the router's features. */
export class LinearHead {
  readonly hashBits: number;
  /** Shared dense weights, then free-form-only dense weights. */
  readonly dense: Float64Array;
  readonly hashed: Float32Array;

  constructor(hashBits: number, dense?: Float64Array, hashed?: Float32Array) {
    this.hashBits = hashBits;
    this.dense = dense ?? new Float64Array(2 * DENSE_COUNT);
    this.hashed = hashed ?? new Float32Array(1 << hashBits);
  }

  logit(f: PromptFeatures): number {
    const freeForm = isFreeForm(f);
    let z = 0;
    for (let i = 0; i < DENSE_COUNT; i++) {
      const v = f.dense[i]!;
      if (v === 0) continue;
      z += v * this.dense[i]!;
      if (freeForm) z += v * this.dense[DENSE_COUNT + i]!;
    }
    for (let k = 0; k < f.hashedIndex.length; k++) z += f.hashedValue[k]! * this.hashed[f.hashedIndex[k]!]!;
    return z;
  }

  /** Each dense feature's contribution to the logit. */
  denseContributions(f: PromptFeatures): Float64Array {
    const freeForm = isFreeForm(f);
    const out = new Float64Array(DENSE_COUNT);
    for (let i = 0; i < DENSE_COUNT; i++) out[i] = f.dense[i]! * (this.dense[i]! + (freeForm ? this.dense[DENSE_COUNT + i]! : 0));
    return out;
  }

  toFile(): HeadFile {
    let max = 0;
    for (const w of this.hashed) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 32767 : 1;
    const ints = new Int16Array(this.hashed.length);
    for (let i = 0; i < ints.length; i++) ints[i] = Math.round(this.hashed[i]! / scale);
    return {
      denseWeights: [...this.dense].map((w) => Number(w.toPrecision(6))),
      hashedWeights: Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).toString("base64"),
      hashedScale: scale,
    };
  }

  static fromFile(file: HeadFile, hashBits: number): LinearHead {
    const bytes = Buffer.from(file.hashedWeights, "base64");
    if (bytes.length !== 2 << hashBits || file.denseWeights.length !== 2 * DENSE_COUNT) {
      throw new Error("router model: weights have the wrong size");
    }
    const ints = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const hashed = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) hashed[i] = ints[i]! * file.hashedScale;
    return new LinearHead(hashBits, Float64Array.from(file.denseWeights), hashed);
  }
}

export type HeadPair = { strongRight: LinearHead; weakWrong: LinearHead; calibration?: Calibration | null };

export class RouterModel {
  constructor(
    readonly hashBits: number,
    /** The general pair: scores free-form prompts. */
    readonly general: HeadPair,
    /** The multiple-choice pair: scores multiple-choice prompts (null: the general pair does). */
    readonly choice: ScaledPair | null,
    /** The word-problem pair: scores word problems (null: the general pair does). */
    readonly wordProblem: ScaledPair | null = null,
    /** Further multiple-choice pairs averaged with `choice` (an ensemble, chosen by cross-validation). */
    readonly choiceAlso: readonly ScaledPair[] = [],
  ) {
    this.choiceScoring = choice && choiceAlso.length ? meanPair([choice, ...choiceAlso]) : choice;
  }

  private readonly choiceScoring: ScoringPair | null;

  /** The head pair that scores this prompt. */
  pairFor(f: PromptFeatures): ScoringPair {
    if (!isFreeForm(f)) return this.choiceScoring ?? this.general;
    return this.wordProblem && isWordProblem(f) ? this.wordProblem : this.general;
  }

  features(prompt: string, history?: readonly HistoryTurn[]): PromptFeatures {
    return extractFeatures(prompt, history, { hashBits: this.hashBits });
  }

  /** The pair's raw score, calibrated: (1 + expected quality gain of the strong model) / 2, comparable across pairs. */
  score(f: PromptFeatures): number {
    const pair = this.pairFor(f);
    return calibrate(pair.calibration, rawScore(pair, f));
  }

  /** The score before calibration (comparable only among prompts the same pair scores). */
  rawScore(f: PromptFeatures): number {
    return rawScore(this.pairFor(f), f);
  }

  /**
   * Each named dense feature's contribution to the (calibrated) score, to first order: logit contribution times
   * the sigmoid's slope at this prompt, summed over the heads, times the calibration's slope.
   */
  contributions(f: PromptFeatures): { name: string; label: string | null; notable: boolean; value: number }[] {
    const pair = this.pairFor(f);
    const { strongRight, weakWrong, blend = 0.5 } = pair;
    const ps = sigmoid(strongRight.logit(f));
    const pw = sigmoid(weakWrong.logit(f));
    const cs = strongRight.denseContributions(f);
    const cw = weakWrong.denseContributions(f);
    const k = calibrationSlopeAt(pair.calibration, blend * ps + (1 - blend) * pw);
    return DENSE.map((spec, i) => ({
      name: spec.name,
      label: spec.label,
      notable: f.dense[i]! > 0 && f.dense[i]! >= (spec.notable ?? 0),
      value: k * (blend * ps * (1 - ps) * cs[i]! + (1 - blend) * pw * (1 - pw) * cw[i]!),
    }));
  }

  toFile(extra: Omit<ModelFile, "format" | "version" | "hashBits" | "denseNames" | "heads" | "choiceHeads" | "choiceHeadsAlso" | "wordProblemHeads">): ModelFile {
    const pair = (p: HeadPair): HeadPairFile => ({ strongRight: p.strongRight.toFile(), weakWrong: p.weakWrong.toFile(), ...(p.calibration ? { calibration: p.calibration } : {}) });
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      hashBits: this.hashBits,
      denseNames: DENSE.map((d) => d.name),
      heads: pair(this.general),
      choiceHeads: this.choice ? scaledPairToFile(this.choice) : null,
      choiceHeadsAlso: this.choiceAlso.map(scaledPairToFile),
      wordProblemHeads: this.wordProblem ? scaledPairToFile(this.wordProblem) : null,
      ...extra,
    };
  }

  static fromFile(file: ModelFile): RouterModel {
    if (file.format !== MODEL_FORMAT || file.version !== MODEL_VERSION) throw new Error("not a Hearth router model (format/version)");
    const names = DENSE.map((d) => d.name);
    if (file.denseNames.length !== names.length || file.denseNames.some((n, i) => n !== names[i])) {
      throw new Error("router model was trained with different features; retrain it (npm run router:train)");
    }
    const pair = (p: HeadPairFile): HeadPair => ({
      strongRight: LinearHead.fromFile(p.strongRight, file.hashBits),
      weakWrong: LinearHead.fromFile(p.weakWrong, file.hashBits),
      calibration: calibrationFromFile(p.calibration),
    });
    return new RouterModel(file.hashBits, pair(file.heads), file.choiceHeads ? scaledPairFromFile(file.choiceHeads) : null, file.wordProblemHeads ? scaledPairFromFile(file.wordProblemHeads) : null, (file.choiceHeadsAlso ?? []).map(scaledPairFromFile));
  }
}
