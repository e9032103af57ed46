/**
 * One common scale for every head pair's score. Each pair (general, multiple-choice, word-problem) outputs a
 * "raw" score, blend * P(strong right) + (1 - blend) * P(weak wrong), whose spread and level depend on that pair's
 * features, L2 strength, blend and ensembling, so raw scores of two pairs cannot be ranked against each other.
 * A calibration maps a pair's raw score to c = sigmoid(slope * logit(raw) + intercept), fitted so that
 * c = (1 + expected quality gain of escalating) / 2, the gain being strong minus weak quality on a -1..1 scale
 * (correctness, or judge scores / 9). Fitted per pair on that pair's out-of-fold scores of its own training rows
 * (inside the training procedure, so nested cross-validation stays honest). The slope is kept positive, so within
 * one pair the ranking, and with it every per-source APGR of a source scored by one pair, is unchanged.
 */

export type Calibration = { slope: number; intercept: number };

/** Smallest slope kept: a pair whose out-of-fold scores carry no signal still keeps its own ranking. */
export const MIN_SLOPE = 0.01;
/** A weak pull of slope and intercept towards the identity (1, 0), so a separable set cannot send them to infinity. */
const RIDGE = 1e-3;
const EDGE = 1e-12;

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function clampRaw(raw: number): number {
  return Math.min(1 - EDGE, Math.max(EDGE, raw));
}

function logit(raw: number): number {
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

/** A quality gain (strong minus weak, -1..1) as the calibration's 0..1 target. */
export function gainTarget(gain: number): number {
  return Math.min(1, Math.max(0, (1 + gain) / 2));
}

/**
 * Fits slope and intercept by Newton's method on the weighted cross-entropy against (1 + gain) / 2 (its minimiser
 * estimates the expected gain at each raw score) plus RIDGE/2 * ((slope - 1)^2 + intercept^2), the weights
 * summing to 1. Deterministic. A slope under MIN_SLOPE is held at MIN_SLOPE and only the intercept is fitted.
 */
export function fitCalibration(raw: readonly number[], gain: readonly number[], weights?: readonly number[]): Calibration {
  const n = raw.length;
  if (n === 0 || gain.length !== n || (weights && weights.length !== n)) throw new Error("calibration: needs one gain (and weight) per score");
  const x = raw.map(logit);
  const y = gain.map(gainTarget);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights?.[i] ?? 1;
  const w = (i: number) => (weights?.[i] ?? 1) / total;

  const newton = (fixedSlope: number | null): Calibration => {
    let slope = fixedSlope ?? 1;
    let intercept = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let gs = RIDGE * (slope - 1);
      let gi = RIDGE * intercept;
      let hss = RIDGE;
      let hsi = 0;
      let hii = RIDGE;
      for (let i = 0; i < n; i++) {
        const p = sigmoid(slope * x[i]! + intercept);
        const g = w(i) * (p - y[i]!);
        const h = w(i) * p * (1 - p);
        gs += g * x[i]!;
        gi += g;
        hss += h * x[i]! * x[i]!;
        hsi += h * x[i]!;
        hii += h;
      }
      let ds = 0;
      let di: number;
      if (fixedSlope === null) {
        const det = hss * hii - hsi * hsi;
        ds = (hii * gs - hsi * gi) / det;
        di = (hss * gi - hsi * gs) / det;
      } else {
        di = gi / hii;
      }
      slope -= ds;
      intercept -= di;
      if (Math.abs(ds) < 1e-12 && Math.abs(di) < 1e-12) break;
    }
    return { slope, intercept };
  };

  const free = newton(null);
  const fit = Number.isFinite(free.slope) && free.slope >= MIN_SLOPE ? free : newton(MIN_SLOPE);
  return { slope: Number(fit.slope.toPrecision(7)), intercept: Number(fit.intercept.toPrecision(7)) };
}

export function calibrationFromFile(value: unknown): Calibration | null {
  if (value === undefined || value === null) return null;
  const c = value as Partial<Calibration>;
  if (typeof c.slope !== "number" || typeof c.intercept !== "number" || !(c.slope > 0) || !Number.isFinite(c.intercept)) {
    throw new Error("router model: calibration needs a positive slope and a finite intercept");
  }
  return { slope: c.slope, intercept: c.intercept };
}
