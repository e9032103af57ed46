/**
 * One common scale for every head pair's score. Each pair (general, multiple-choice, word-problem) outputs a
 * "raw" score, blend * P(strong right) + (1 - blend) * P(weak wrong), whose spread and level depend on that pair's
 * features, L2 strength, blend and ensembling, so raw scores of two pairs cannot be ranked against each other.
 * A calibration maps a pair's raw score to c = sigmoid(slope * logit(raw) + intercept), fitted so that
 * c = (1 + expected quality gain of escalating) / 2, the gain being strong minus weak quality on a -1..1 scale
 * (correctness, or judge scores / 9). Fitted per pair on that pair's out-of-fold scores of its own training rows
 * (inside the training procedure, so nested cross-validation stays honest; the fit is
 * scripts/training/router/fit-calibration.ts). The slope is kept positive, so within one pair the ranking, and with
 * it every per-source APGR of a source scored by one pair, is unchanged.
 */

export type Calibration = { slope: number; intercept: number };

/** Smallest slope kept: a pair whose out-of-fold scores carry no signal still keeps its own ranking. */
export const MIN_SLOPE = 0.01;
const EDGE = 1e-12;

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function clampRaw(raw: number): number {
  return Math.min(1 - EDGE, Math.max(EDGE, raw));
}

/** The log-odds of a raw score, kept finite at 0 and 1. */
export function logit(raw: number): number {
  const p = clampRaw(raw);
  return Math.log(p / (1 - p));
}

/** The calibrated score of a raw score (no calibration: the raw score). */
export function calibrate(calibration: Calibration | null | undefined, raw: number): number {
  return calibration ? sigmoid(calibration.slope * logit(raw) + calibration.intercept) : raw;
}

/** d calibrated / d raw at `raw`, to carry a feature's contribution to the raw score over to the calibrated one. */
export function calibrationSlopeAt(calibration: Calibration | null | undefined, raw: number): number {
  if (!calibration) return 1;
  const p = clampRaw(raw);
  const c = calibrate(calibration, raw);
  return (c * (1 - c) * calibration.slope) / (p * (1 - p));
}

export function calibrationFromFile(value: unknown): Calibration | null {
  if (value === undefined || value === null) return null;
  const c = value as Partial<Calibration>;
  if (typeof c.slope !== "number" || typeof c.intercept !== "number" || !(c.slope > 0) || !Number.isFinite(c.intercept)) {
    throw new Error("router model: calibration needs a positive slope and a finite intercept");
  }
  return { slope: c.slope, intercept: c.intercept };
}
