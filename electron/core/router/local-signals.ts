/**
 * Signals from the loaded local model itself, as a second stage on top of the prompt-only score: the prompt's
 * perplexity under the local model, a short self-assessment probe ("can you answer this correctly?") and, after a
 * local answer, its token confidences (the cascade's). A labelled set that carries these values for one local
 * model lets `fitLocalSignals` (scripts/training/router/fit-local-signals.ts) learn how much each moves the score (a
 * logistic model with the prompt-only score's logit as offset); the model file then holds those weights
 * (`localSignals`) and the router applies them when the caller passes the values.
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

/** The score's log-odds and back, as `adjustScore` applies the weights (the fit uses the same offset). */
export const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

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
