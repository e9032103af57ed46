/**
 * RouteLLM's routing metrics, computed exactly.
 *
 * A router ranks prompts by score; the top k go to the strong model, the rest to the weak one.
 * PGR(k) = (quality(k) - quality(weak only)) / (quality(strong only) - quality(weak only)), with the share of
 * strong calls x = k / n on the horizontal axis. APGR is the area under PGR(x) for x from 0 to 1.
 *
 * We evaluate PGR at every k (not RouteLLM's 10 quantile thresholds), so the area is exact: between two
 * consecutive distinct scores the curve is linear, and prompts with equal scores are taken in random order, whose
 * expected gain is linear in how many of them are taken. Ties therefore never help or hurt a router; the
 * trapezoid rule over the tie-group boundaries is the exact expected area. `apgrRouteLLM` reproduces RouteLLM's own
 * 10-bin discretisation (routellm/evals/evaluate.py) for comparison.
 */

export type RoutedItem = {
  /** Router score: higher = more in need of the strong model. */
  score: number;
  /** Quality of the weak model's answer (1/0 for correct/incorrect, or a judge score). */
  weak: number;
  /** Quality of the strong model's answer. */
  strong: number;
};

export type PgrCurve = {
  /** Strong-call shares, ascending from 0 to 1 (tie-group boundaries). */
  x: number[];
  /** PGR at each x. */
  pgr: number[];
};

export type RoutingMetrics = {
  n: number;
  weakQuality: number;
  strongQuality: number;
  apgr: number;
  /** Share of strong calls needed to recover 50% / 80% of the gap (linear between points); NaN if never. */
  cpt50: number;
  cpt80: number;
};

/** The exact PGR curve with ties averaged. Returns null when the strong model is not better overall. */
export function pgrCurve(items: readonly RoutedItem[]): PgrCurve | null {
  const n = items.length;
  if (n === 0) return null;
  let gap = 0;
  for (const it of items) gap += it.strong - it.weak;
  if (!(gap > 0)) return null;
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.score - items[a]!.score);
  const x = [0];
  const pgr = [0];
  let taken = 0;
  let gained = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let groupGain = 0;
    const s = items[order[i]!]!.score;
    while (j < n && items[order[j]!]!.score === s) {
      const it = items[order[j]!]!;
      groupGain += it.strong - it.weak;
      j++;
    }
    taken += j - i;
    gained += groupGain;
    x.push(taken / n);
    pgr.push(gained / gap);
    i = j;
  }
  return { x, pgr };
}

function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** First strong-call share at which PGR reaches `target`, interpolating linearly between curve points. */
export function callsToReach(curve: PgrCurve, target: number): number {
  const { x, pgr } = curve;
  for (let i = 1; i < x.length; i++) {
    if (pgr[i]! >= target) {
      const y0 = pgr[i - 1]!;
      const y1 = pgr[i]!;
      if (y0 >= target) return x[i - 1]!;
      return x[i - 1]! + ((target - y0) / (y1 - y0)) * (x[i]! - x[i - 1]!);
    }
  }
  return Number.NaN;
}

export function routingMetrics(items: readonly RoutedItem[]): RoutingMetrics {
  const n = items.length;
  let weak = 0;
  let strong = 0;
  for (const it of items) {
    weak += it.weak;
    strong += it.strong;
  }
  const curve = pgrCurve(items);
  return {
    n,
    weakQuality: n ? weak / n : Number.NaN,
    strongQuality: n ? strong / n : Number.NaN,
    apgr: curve ? trapezoid(curve.x, curve.pgr) : Number.NaN,
    cpt50: curve ? callsToReach(curve, 0.5) : Number.NaN,
    cpt80: curve ? callsToReach(curve, 0.8) : Number.NaN,
  };
}

/** Linear-interpolated quantile, as numpy / pandas compute it. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * APGR as RouteLLM's evaluate.py computes it: thresholds at the 0, 10, ..., 100% quantiles of the scores
 * (pd.qcut bins), strong model for score >= threshold (> for the last one), accuracy against strong share by
 * np.trapz, normalised by the weak and strong areas over the same span.
 */
export function apgrRouteLLM(items: readonly RoutedItem[], bins = 10): number {
  const n = items.length;
  const sorted = items.map((it) => it.score).sort((a, b) => a - b);
  const points: { share: number; quality: number }[] = [];
  for (let b = 0; b <= bins; b++) {
    const t = quantile(sorted, b / bins);
    let strongCalls = 0;
    let quality = 0;
    for (const it of items) {
      const toStrong = b !== bins ? it.score >= t : it.score > t;
      if (toStrong) strongCalls++;
      quality += toStrong ? it.strong : it.weak;
    }
    points.push({ share: strongCalls / n, quality: quality / n });
  }
  points.sort((a, b) => a.share - b.share);
  const x = points.map((p) => p.share);
  const auc = trapezoid(
    x,
    points.map((p) => p.quality),
  );
  const span = x[x.length - 1]! - x[0]!;
  let weak = 0;
  let strong = 0;
  for (const it of items) {
    weak += it.weak / n;
    strong += it.strong / n;
  }
  return (auc - weak * span) / ((strong - weak) * span);
}
