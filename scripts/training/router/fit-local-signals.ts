import {
  LOCAL_SIGNAL_NAMES,
  localSignalValues,
  logit,
  sigmoid,
  type LocalSignals,
  type LocalSignalsFile,
} from "../../../electron/core/router/local-signals.js";

/**
 * Learns the signals' weights from labelled rows measured with one local model: logistic regression of the
 * target (e.g. "weak model wrong") on the standardised signals, with the prompt-only held-out score's logit as a
 * fixed offset, so the weights say what the local model adds beyond the prompt. Gradient descent, deterministic.
 */
export function fitLocalSignals(
  baseScores: readonly number[],
  signals: readonly LocalSignals[],
  target: readonly number[],
  localModel: string,
  l2 = 0.01,
): LocalSignalsFile {
  const X = signals.map(localSignalValues);
  const d = LOCAL_SIGNAL_NAMES.length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  const count = new Array<number>(d).fill(0);
  for (const row of X) row.forEach((v, k) => { if (v !== null) { mean[k]! += v; count[k]!++; } });
  for (let k = 0; k < d; k++) mean[k] = count[k] ? mean[k]! / count[k]! : 0;
  for (const row of X) row.forEach((v, k) => { if (v !== null) scale[k]! += (v - mean[k]!) ** 2; });
  for (let k = 0; k < d; k++) scale[k] = Math.sqrt(count[k] ? scale[k]! / count[k]! : 0) || 1;
  const Z = X.map((row) => row.map((v, k) => (v === null ? 0 : (v - mean[k]!) / scale[k]!)));
  const offset = baseScores.map(logit);
  const w = new Array<number>(d).fill(0);
  const n = Z.length;
  for (let it = 0; it < 500; it++) {
    const grad = w.map((wk) => l2 * wk);
    for (let i = 0; i < n; i++) {
      let z = offset[i]!;
      for (let k = 0; k < d; k++) z += w[k]! * Z[i]![k]!;
      const g = (sigmoid(z) - target[i]!) / n;
      for (let k = 0; k < d; k++) grad[k]! += g * Z[i]![k]!;
    }
    for (let k = 0; k < d; k++) w[k]! -= 1.0 * grad[k]!;
  }
  const round = (v: number) => Number(v.toPrecision(6));
  return { names: [...LOCAL_SIGNAL_NAMES], mean: mean.map(round), scale: scale.map(round), weights: w.map(round), localModel };
}
