/**
 * A logistic regression over a named subset of the dense features, each standardised by its training mean and
 * spread, optionally plus one kind of hashed n-grams (ngrams.ts). Used for word problems (dense only, fitted by
 * Newton's method here) and for multiple-choice items (fitted by L-BFGS, scripts/training/router/sparse-fit.ts).
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

/** Mean and spread of each named dense feature over the rows, for standardising them before a fit. */
export function standardiser(
  features: readonly PromptFeatures[],
  indices: readonly number[],
): { mean: Float64Array; scale: Float64Array } {
  const n = features.length;
  const d = indices.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const f of features) for (let k = 0; k < d; k++) mean[k]! += f.dense[indices[k]!]! / n;
  for (const f of features) for (let k = 0; k < d; k++) scale[k]! += (f.dense[indices[k]!]! - mean[k]!) ** 2 / n;
  // A feature that never varies gets scale 1 (its standardised value is then always 0).
  // Below 1e-9 the spread is rounding noise of a constant feature (it would not survive the file's rounding).
  for (let k = 0; k < d; k++) scale[k] = Math.sqrt(scale[k]!) > 1e-9 ? Math.sqrt(scale[k]!) : 1;
  return { mean, scale };
}

export function indicesOf(names: readonly string[]): number[] {
  return names.map((name) => {
    const i = DENSE.findIndex((d) => d.name === name);
    if (i < 0) throw new Error(`router model: unknown feature ${name}; retrain it (npm run router:train)`);
    return i;
  });
}

/**
 * Fits P(strong right) and P(weak wrong) over `names`, by Newton's method on the mean cross-entropy plus
 * lambda/2 * |w|^2 (bias not penalised). Deterministic.
 */
export function fitScaledPair(
  features: readonly PromptFeatures[],
  names: readonly string[],
  targets: { strongRight: readonly number[]; weakWrong: readonly number[] },
  lambda: number,
): ScaledPair {
  const indices = indicesOf(names);
  const { mean, scale } = standardiser(features, indices);
  const rows = features.map((f) => [1, ...indices.map((i, k) => (f.dense[i]! - mean[k]!) / scale[k]!)]);
  const fit = (t: readonly number[]) => {
    const theta = newtonLogistic(rows, t, lambda);
    return new ScaledHead(indices, mean, scale, theta[0]!, Float64Array.from(theta.slice(1)));
  };
  return { strongRight: fit(targets.strongRight), weakWrong: fit(targets.weakWrong) };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function newtonLogistic(rows: readonly number[][], t: readonly number[], lambda: number): number[] {
  const D = rows[0]?.length ?? 1;
  const n = rows.length;
  const theta = new Array<number>(D).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const grad = new Array<number>(D).fill(0);
    const hess = Array.from({ length: D }, () => new Array<number>(D).fill(0));
    for (let r = 0; r < n; r++) {
      const x = rows[r]!;
      let z = 0;
      for (let j = 0; j < D; j++) z += x[j]! * theta[j]!;
      const p = sigmoid(z);
      const g = (p - t[r]!) / n;
      const h = (p * (1 - p)) / n;
      for (let a = 0; a < D; a++) {
        grad[a]! += g * x[a]!;
        const ha = h * x[a]!;
        for (let b = a; b < D; b++) hess[a]![b]! += ha * x[b]!;
      }
    }
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < a; b++) hess[a]![b] = hess[b]![a]!;
      if (a > 0) {
        grad[a]! += lambda * theta[a]!;
        hess[a]![a]! += lambda;
      } else {
        hess[a]![a]! += 1e-9;
      }
    }
    const step = solve(hess, grad);
    let largest = 0;
    for (let j = 0; j < D; j++) {
      theta[j]! -= step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-9) break;
  }
  return theta;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(A: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const factor = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= factor * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
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
