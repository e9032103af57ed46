/**
 * Signals from the loaded local model itself, as a second stage on top of the prompt-only score: the prompt's
 * perplexity under the local model, a short self-assessment probe ("can you answer this correctly?") and, after a
 * local answer, its token confidences (the cascade's). A labelled set that carries these values for one local
 * model lets `fitLocalSignals` learn how much each moves the score (a logistic model with the prompt-only score's
 * logit as offset); the model file then holds those weights (`localSignals`) and the router applies them when the
 * caller passes the values.
 *
 * The shipped model has no such weights: the benchmark data holds no local-model outputs, and the only models on
 * the build machine are tiny test models whose perplexities and probes mean nothing. Training on those would fit
 * noise, so `localSignals` is null and the router ignores any signals it is given (see `adjustScore`).
 */

export type LocalSignals = {
  /** Mean negative log-probability per prompt token under the local model (nats per token). */
  promptNll?: number;
  /** The local model's probability of "yes" to "can you answer this correctly?" (0..1). */
  selfAssessment?: number;
  /** Probability the local model gave each token of its answer (the cascade's confidences). */
  answerConfidences?: readonly number[];
};

export const LOCAL_SIGNAL_NAMES = ["prompt_nll", "self_unsure", "answer_low_share", "answer_weakest_stretch"] as const;

export type LocalSignalsFile = {
  names: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  /** Which local model the weights were learned for (they do not carry to another model). */
  localModel: string;
};

const LOW = 0.4;
const WINDOW = 8;

/** The signal vector (null = not measured), in LOCAL_SIGNAL_NAMES order. Each rises as the local model is less sure. */
export function localSignalValues(s: LocalSignals): (number | null)[] {
  const finite = (x: number | undefined) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  const conf = (s.answerConfidences ?? []).filter(Number.isFinite).map((p) => Math.min(1, Math.max(0, p)));
  let lowShare: number | null = null;
  let weakest: number | null = null;
  if (conf.length >= 4) {
    lowShare = conf.filter((p) => p < LOW).length / conf.length;
    const w = Math.min(WINDOW, conf.length);
    let sum = 0;
    for (let i = 0; i < w; i++) sum += conf[i]!;
    let min = sum / w;
    for (let i = w; i < conf.length; i++) {
      sum += conf[i]! - conf[i - w]!;
      min = Math.min(min, sum / w);
    }
    weakest = 1 - min;
  }
  const self = finite(s.selfAssessment);
  return [finite(s.promptNll), self === null ? null : 1 - Math.min(1, Math.max(0, self)), lowShare, weakest];
}

const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The prompt-only score moved by the local model's signals, when the model file has weights for them; missing
 * signals add nothing. Without weights (the shipped model) the score is returned unchanged.
 */
export function adjustScore(score: number, signals: LocalSignals | undefined, file: LocalSignalsFile | null | undefined): number {
  if (!signals || !file) return score;
  const values = localSignalValues(signals);
  let z = logit(score);
  file.names.forEach((name, k) => {
    const v = values[LOCAL_SIGNAL_NAMES.indexOf(name as (typeof LOCAL_SIGNAL_NAMES)[number])];
    if (v !== null && v !== undefined) z += file.weights[k]! * ((v - file.mean[k]!) / file.scale[k]!);
  });
  return sigmoid(z);
}

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
