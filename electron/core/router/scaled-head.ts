/**
 * A logistic regression over a named subset of the dense features, each standardised by its training mean and
 * spread, optionally plus one kind of hashed n-grams (ngrams.ts). Used for word problems (dense only, fitted by
 * Newton's method, scripts/training/router/fit-scaled-head.ts) and for multiple-choice items (fitted by L-BFGS,
 * scripts/training/router/sparse-fit.ts).
 * Which features, which n-grams and which L2 strengths each pair uses is chosen by nested cross-validation
 * (scripts/training/router/selection.ts).
 */

import { calibrationFromFile, type Calibration } from "./calibration.js";
import { DENSE, DENSE_COUNT, ngramsOf, type PromptFeatures } from "./features.js";
import type { NgramKind } from "./ngrams.js";

export type ScaledHeadFile = {
  bias: number;
  weights: number[];
  /** base64 of little-endian int16 hashed weights (weight = int * hashedScale); absent without n-grams. */
  hashedWeights?: string;
  hashedScale?: number;
};

export type ScaledPairFile = {
  /** Dense feature names the pair reads, in the order of mean, scale and weights. */
  features: string[];
  mean: number[];
  scale: number[];
  /** Hashed n-grams the pair reads ("none" when absent) and their bucket count (2^hashBits). */
  ngrams?: NgramKind;
  hashBits?: number;
  /** Weight of P(strong right) in the score; P(weak wrong) gets 1 - blend (0.5 when absent). */
  blend?: number;
  /** Maps the pair's raw score onto the common scale (calibration.ts); absent: none. */
  calibration?: Calibration;
  strongRight: ScaledHeadFile;
  weakWrong: ScaledHeadFile;
};

export type HashedPart = { kind: NgramKind; weights: Float32Array };

export class ScaledHead {
  constructor(
    /** Dense feature indices read by this head. */
    readonly indices: readonly number[],
    readonly mean: Float64Array,
    readonly scale: Float64Array,
    readonly bias: number,
    readonly weights: Float64Array,
    readonly hashed: HashedPart | null = null,
  ) {}

  logit(f: PromptFeatures): number {
    let z = this.bias;
    for (let k = 0; k < this.indices.length; k++) z += this.weights[k]! * ((f.dense[this.indices[k]!]! - this.mean[k]!) / this.scale[k]!);
    if (this.hashed) {
      const { index, value } = ngramsOf(f, this.hashed.kind);
      const w = this.hashed.weights;
      for (let k = 0; k < index.length; k++) z += value[k]! * w[index[k]!]!;
    }
    return z;
  }

  /** Each dense feature's contribution to the logit, relative to a typical (mean) word problem. */
  denseContributions(f: PromptFeatures): Float64Array {
    const out = new Float64Array(DENSE_COUNT);
    for (let k = 0; k < this.indices.length; k++) {
      const i = this.indices[k]!;
      out[i] = this.weights[k]! * ((f.dense[i]! - this.mean[k]!) / this.scale[k]!);
    }
    return out;
  }
}

export type ScaledPair = {
  strongRight: ScaledHead;
  weakWrong: ScaledHead;
  /** Weight of P(strong right) in the score (0.5 = the plain mean). */
  blend?: number;
  /** Maps the raw score onto the common scale (null / absent: none). */
  calibration?: Calibration | null;
};

export function indicesOf(names: readonly string[]): number[] {
  return names.map((name) => {
    const i = DENSE.findIndex((d) => d.name === name);
    if (i < 0) throw new Error(`router model: unknown feature ${name}; retrain it (npm run router:train)`);
    return i;
  });
}

const round = (values: ArrayLike<number>) => Array.from(values, (v) => Number(v.toPrecision(7)));

function encodeHashed(weights: Float32Array): { hashedWeights: string; hashedScale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 32767 : 1;
  const ints = new Int16Array(weights.length);
  for (let i = 0; i < ints.length; i++) ints[i] = Math.round(weights[i]! / scale);
  return { hashedWeights: Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).toString("base64"), hashedScale: scale };
}

function decodeHashed(text: string, scale: number, hashBits: number): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== 2 << hashBits || !(scale > 0)) throw new Error("router model: n-gram weights have the wrong size");
  const ints = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return Float32Array.from(ints, (v) => v * scale);
}

export function scaledPairToFile(pair: ScaledPair): ScaledPairFile {
  const hashed = pair.strongRight.hashed;
  const head = (h: ScaledHead): ScaledHeadFile => ({
    bias: Number(h.bias.toPrecision(7)),
    weights: round(h.weights),
    ...(h.hashed ? encodeHashed(h.hashed.weights) : {}),
  });
  return {
    features: pair.strongRight.indices.map((i) => DENSE[i]!.name),
    mean: round(pair.strongRight.mean),
    scale: round(pair.strongRight.scale),
    ngrams: hashed?.kind ?? "none",
    ...(hashed ? { hashBits: Math.log2(hashed.weights.length) } : {}),
    blend: pair.blend ?? 0.5,
    ...(pair.calibration ? { calibration: pair.calibration } : {}),
    strongRight: head(pair.strongRight),
    weakWrong: head(pair.weakWrong),
  };
}

export function scaledPairFromFile(file: ScaledPairFile): ScaledPair {
  const d = file.features.length;
  if (file.mean.length !== d || file.scale.length !== d || file.strongRight.weights.length !== d || file.weakWrong.weights.length !== d) {
    throw new Error("router model: word-problem weights have the wrong size");
  }
  if (file.scale.some((s) => !(s > 0))) throw new Error("router model: word-problem scales must be positive");
  const indices = indicesOf(file.features);
  const mean = Float64Array.from(file.mean);
  const scale = Float64Array.from(file.scale);
  const kind = file.ngrams ?? "none";
  if (kind !== "none" && kind !== "shape" && kind !== "words") throw new Error("router model: unknown n-gram kind");
  const blend = file.blend ?? 0.5;
  if (!(blend >= 0 && blend <= 1)) throw new Error("router model: blend must lie in 0..1");
  const head = (h: ScaledHeadFile) => {
    let hashed: HashedPart | null = null;
    if (kind !== "none") {
      if (typeof h.hashedWeights !== "string" || typeof h.hashedScale !== "number" || !Number.isInteger(file.hashBits)) {
        throw new Error("router model: n-gram weights missing");
      }
      hashed = { kind, weights: decodeHashed(h.hashedWeights, h.hashedScale, file.hashBits!) };
    }
    return new ScaledHead(indices, mean, scale, h.bias, Float64Array.from(h.weights), hashed);
  };
  return { strongRight: head(file.strongRight), weakWrong: head(file.weakWrong), blend, calibration: calibrationFromFile(file.calibration) };
}
