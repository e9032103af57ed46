import type { Fit, FitVerdict } from "./schemas.js";
import { parseQuantization, quantizationQuality } from "./quantization.js";

export type FileFit<F extends { fileName: string; quantization: string | null }> = { file: F; fit: Fit };

const verdictRank: Readonly<Record<FitVerdict, number>> = { gpu: 3, ram: 2, partial: 1, no: 0 };
/** Above this, a CPU-bound model gets slower for little gain in answers. */
const cpuCeiling = quantizationQuality("Q4_K_M");
/** Unquantized weights double the size of Q8_0 for no difference a chat user would notice. */
const gpuCeiling = quantizationQuality("Q8_0");

/**
 * The file to suggest. The rule, in order:
 * 1. Only files that fit, and only those with the best verdict among them: all on the GPU beats all in RAM beats a
 *    partial offload (speed matters more than a notch of quality; a model that crawls gets no use).
 * 2. Within that group, the best quality up to a ceiling: Q8_0 when everything runs on the GPU (fast either way),
 *    Q4_K_M when the CPU does the work (generation speed is bound by memory bandwidth, so every extra bit per weight
 *    costs speed, and Q4_K_M is where quality loss becomes hard to notice). Below the ceiling, better quality wins:
 *    Q4_K_M over Q3/Q2.
 * 3. Only when nothing is at or under the ceiling, the smallest file above it.
 * Files with an unknown quantization rank last (the smallest of them). Null when nothing fits.
 */
export function recommendFile<F extends { fileName: string; quantization: string | null; sizeBytes?: number }>(
  fits: readonly FileFit<F>[],
): FileFit<F> | null {
  const fitting = fits.filter((candidate) => candidate.fit.verdict !== "no");
  if (fitting.length === 0) return null;
  const best = Math.max(...fitting.map((candidate) => verdictRank[candidate.fit.verdict]));
  const group = fitting.filter((candidate) => verdictRank[candidate.fit.verdict] === best);
  const ceiling = best === verdictRank.gpu ? gpuCeiling : cpuCeiling;
  const quality = (candidate: FileFit<F>): number =>
    quantizationQuality(candidate.file.quantization ?? parseQuantization(candidate.file.fileName));
  const size = (candidate: FileFit<F>): number => candidate.file.sizeBytes ?? candidate.fit.ramBytes + candidate.fit.vramBytes;

  const known = group.filter((candidate) => quality(candidate) >= 0);
  const under = known.filter((candidate) => quality(candidate) <= ceiling);
  if (under.length > 0) return pick(under, (a, b) => quality(b) - quality(a) || size(a) - size(b));
  if (known.length > 0) return pick(known, (a, b) => quality(a) - quality(b) || size(a) - size(b));
  return pick(group, (a, b) => size(a) - size(b));
}

/** The first element after sorting by `order`, without mutating the input. */
function pick<T>(items: readonly T[], order: (a: T, b: T) => number): T {
  return [...items].sort(order)[0]!;
}
