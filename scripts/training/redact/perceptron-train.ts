import { historyFeatures, type PerceptronModel } from "../../../electron/core/cloud/redact/perceptron.js";

export type TrainingSequence = { features: string[][]; labels: Array<string | null> };

/** `null` labels are not learned (tokens another detector owns) but still give context to their neighbours. */
export function train(
  sequences: readonly TrainingSequence[],
  labels: readonly string[],
  options: { epochs?: number; seed?: number; minCount?: number } = {},
): PerceptronModel {
  const epochs = options.epochs ?? 8;
  const n = labels.length;
  const index = new Map(labels.map((l, i) => [l, i] as const));
  const weights = new Map<string, Float64Array>();
  const totals = new Map<string, Float64Array>();
  const stamps = new Map<string, Float64Array>();
  const counts = new Map<string, number>();
  let step = 0;
  const get = (m: Map<string, Float64Array>, f: string): Float64Array => {
    let v = m.get(f);
    if (!v) m.set(f, (v = new Float64Array(n)));
    return v;
  };
  const update = (f: string, k: number, delta: number): void => {
    const w = get(weights, f);
    const t = get(totals, f);
    const s = get(stamps, f);
    t[k] = (t[k] ?? 0) + (step - (s[k] ?? 0)) * (w[k] ?? 0);
    s[k] = step;
    w[k] = (w[k] ?? 0) + delta;
  };
  for (const seq of sequences) for (const fs of seq.features) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);

  let seed = options.seed ?? 1;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const order = sequences.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const si of order) {
      const seq = sequences[si] as TrainingSequence;
      const guessed: string[] = [];
      for (let i = 0; i < seq.features.length; i++) {
        step++;
        const gold = seq.labels[i];
        const all = [...(seq.features[i] ?? []), ...historyFeatures(guessed[i - 1] ?? "<s>", guessed[i - 2] ?? "<s>")];
        const scores = new Array<number>(n).fill(0);
        for (const f of all) {
          const w = weights.get(f);
          if (w) for (let k = 0; k < n; k++) scores[k] = (scores[k] ?? 0) + (w[k] ?? 0);
        }
        let best = 0;
        for (let k = 1; k < n; k++) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
        const goldIndex = gold === null || gold === undefined ? undefined : index.get(gold);
        if (goldIndex !== undefined && goldIndex !== best) {
          for (const f of all) {
            update(f, goldIndex, 1);
            update(f, best, -1);
          }
        }
        // The history is the model's own guesses, as it will be at prediction time.
        guessed.push(labels[best] as string);
      }
    }
  }
  const minCount = options.minCount ?? 1;
  const out: Record<string, number[]> = {};
  for (const [f, w] of weights) {
    if (!f.startsWith("y-") && (counts.get(f) ?? 0) < minCount) continue;
    const t = get(totals, f);
    const s = get(stamps, f);
    const avg = Array.from(w, (wk, k) => Math.round((((t[k] ?? 0) + (step - (s[k] ?? 0)) * wk) / step) * 1e3) / 1e3 + 0);
    if (avg.some((x) => x !== 0)) out[f] = avg;
  }
  return { labels: [...labels], weights: out };
}
