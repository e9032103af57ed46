/**
 * Cascade: answer locally first, then propose the cloud when the local answer looks unsure. The signal is the
 * probability the local model gave each token it chose (node-llama-cpp's evaluateWithMetadata with confidence).
 *
 * Two measures, both robust to a few odd tokens: the share of low-confidence tokens (p < 0.4), and the weakest
 * stretch (lowest mean probability over 8 consecutive tokens), which catches an answer that is fluent overall but
 * guesses at the one place that matters (a number, a name). The limits per level are a starting point, not
 * calibrated: there is no labelled local-model output in the benchmark data to calibrate them on.
 */

import type { EscalationLevel } from "./router.js";

const LOW_CONFIDENCE = 0.4;
const WINDOW = 8;
/** Shorter answers say too little to judge. */
const MIN_TOKENS = 4;

const LIMITS: Record<EscalationLevel, { lowShare: number; weakestStretch: number }> = {
  rarely: { lowShare: 0.4, weakestStretch: 0.25 },
  balanced: { lowShare: 0.28, weakestStretch: 0.35 },
  often: { lowShare: 0.18, weakestStretch: 0.45 },
};

export type CascadeVerdict = { escalate: boolean; reason: string | null };
/** The shape of the cascade's rule, so a caller (tests, a future calibrated rule) can replace it. */
export type CascadeDecision = (confidences: number[], level: EscalationLevel) => CascadeVerdict;

export function shouldEscalateAfterLocal(confidences: number[], level: EscalationLevel): CascadeVerdict {
  const values = confidences.filter((p) => Number.isFinite(p)).map((p) => Math.min(1, Math.max(0, p)));
  if (values.length < MIN_TOKENS) return { escalate: false, reason: null };
  const limits = LIMITS[level];
  const low = values.filter((p) => p < LOW_CONFIDENCE).length / values.length;
  if (low > limits.lowShare) {
    return { escalate: true, reason: `the local answer looks unsure (${Math.round(low * 100)}% of its tokens were low-confidence)` };
  }
  const window = Math.min(WINDOW, values.length);
  let sum = 0;
  for (let i = 0; i < window; i++) sum += values[i]!;
  let weakest = sum / window;
  for (let i = window; i < values.length; i++) {
    sum += values[i]! - values[i - window]!;
    weakest = Math.min(weakest, sum / window);
  }
  if (weakest < limits.weakestStretch) {
    return { escalate: true, reason: "part of the local answer looks like a guess (a stretch of low-confidence tokens)" };
  }
  return { escalate: false, reason: null };
}
