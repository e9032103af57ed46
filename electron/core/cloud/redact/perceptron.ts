/**
 * A greedy left-to-right averaged perceptron (Collins 2002): each token's label is the best-scoring one given its
 * features and the two labels before it. Small, fast, and trainable in seconds
 * (scripts/training/redact/perceptron-train.ts).
 */
export type PerceptronModel = { labels: string[]; weights: Record<string, number[]> };

/** The two labels before a token as features; training (scripts/training/redact) guesses them the same way. */
export const historyFeatures = (prev1: string, prev2: string): string[] => [
  `y-1=${prev1}`,
  `y-2|y-1=${prev2}|${prev1}`,
];

export function predict(model: PerceptronModel, features: readonly string[][]): string[] {
  return predictScored(model, features).map((t) => t.label);
}

/** A token's label with its margin: how far the winning score is ahead of the runner-up (0 = a tie). */
export type ScoredLabel = { label: string; margin: number };

export function predictScored(model: PerceptronModel, features: readonly string[][]): ScoredLabel[] {
  const out: ScoredLabel[] = [];
  const n = model.labels.length;
  for (let i = 0; i < features.length; i++) {
    const scores = new Array<number>(n).fill(0);
    const all = [...(features[i] ?? []), ...historyFeatures(out[i - 1]?.label ?? "<s>", out[i - 2]?.label ?? "<s>")];
    for (const f of all) {
      const w = model.weights[f];
      if (!w) continue;
      for (let k = 0; k < n; k++) scores[k] = (scores[k] ?? 0) + (w[k] ?? 0);
    }
    let best = 0;
    for (let k = 1; k < n; k++) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
    let second = -Infinity;
    for (let k = 0; k < n; k++) if (k !== best) second = Math.max(second, scores[k] ?? 0);
    out.push({ label: model.labels[best] ?? "O", margin: n > 1 ? (scores[best] ?? 0) - second : 0 });
  }
  return out;
}
