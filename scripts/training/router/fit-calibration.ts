import { logit, MIN_SLOPE, sigmoid, type Calibration } from "../../../electron/core/router/calibration.js";

/** A weak pull of slope and intercept towards the identity (1, 0), so a separable set cannot send them to infinity. */
const RIDGE = 1e-3;

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
