import type { PromptFeatures } from "../../../electron/core/router/features.js";
import { indicesOf, ScaledHead, type ScaledPair } from "../../../electron/core/router/scaled-head.js";

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
