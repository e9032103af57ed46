/**
 * Fits a ScaledPair over standardised dense features plus one kind of hashed n-grams by full-batch L-BFGS on the
 * mean cross-entropy with separate L2 strengths for the dense and the hashed weights (bias not penalised).
 * Deterministic: zero start, no shuffling.
 */

import { ngramsOf, type PromptFeatures } from "../../../electron/core/router/features.js";
import { lbfgs } from "./lbfgs.js";
import type { NgramKind } from "../../../electron/core/router/ngrams.js";
import { indicesOf, ScaledHead, type ScaledPair } from "../../../electron/core/router/scaled-head.js";
import { standardiser } from "./fit-scaled-head.js";

export type SparseFitOptions = {
  ngrams: NgramKind;
  hashBits: number;
  l2Dense: number;
  l2Hashed: number;
  iterations: number;
};

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function fitSparsePair(
  features: readonly PromptFeatures[],
  names: readonly string[],
  targets: { strongRight: readonly number[]; weakWrong: readonly number[] },
  options: SparseFitOptions,
  blend = 0.5,
): ScaledPair {
  const indices = indicesOf(names);
  const n = features.length;
  const d = indices.length;
  const { mean, scale } = standardiser(features, indices);
  // Standardised dense rows, once for both heads.
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) X[i * d + k] = (features[i]!.dense[indices[k]!]! - mean[k]!) / scale[k]!;
  const hashed = options.ngrams === "none" ? null : features.map((f) => ngramsOf(f, options.ngrams));
  const H = hashed ? 1 << options.hashBits : 0;
  const dim = 1 + d + H;

  const fit = (t: readonly number[]): ScaledHead => {
    const lossAndGrad = (theta: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        let z = theta[0]!;
        const row = i * d;
        for (let k = 0; k < d; k++) z += X[row + k]! * theta[1 + k]!;
        const h = hashed?.[i];
        if (h) for (let k = 0; k < h.index.length; k++) z += h.value[k]! * theta[1 + d + h.index[k]!]!;
        const y = t[i]!;
        loss += (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z) / n;
        const g = (sigmoid(z) - y) / n;
        grad[0]! += g;
        for (let k = 0; k < d; k++) grad[1 + k]! += g * X[row + k]!;
        if (h) for (let k = 0; k < h.index.length; k++) grad[1 + d + h.index[k]!]! += g * h.value[k]!;
      }
      for (let j = 1; j < dim; j++) {
        const l2 = j <= d ? options.l2Dense : options.l2Hashed;
        loss += 0.5 * l2 * theta[j]! * theta[j]!;
        grad[j]! += l2 * theta[j]!;
      }
      return loss;
    };
    const theta = lbfgs(lossAndGrad, new Float64Array(dim), options.iterations);
    const part = hashed ? { kind: options.ngrams, weights: Float32Array.from(theta.subarray(1 + d)) } : null;
    return new ScaledHead(indices, mean, scale, theta[0]!, Float64Array.from(theta.subarray(1, 1 + d)), part);
  };
  return { strongRight: fit(targets.strongRight), weakWrong: fit(targets.weakWrong), blend };
}
