/**
 * Labelled routing data in the dev.jsonl format (see ../shared/data/router/README.md), and the held-out split
 * the benchmark uses: whole MMLU subjects per fold (the router is judged on subjects it never saw), GSM8K rows
 * per fold, and MT-Bench never trained on.
 */

import fs from "node:fs";
import { fnv1a } from "../../../electron/core/router/hash.js";
import type { RoutedItem } from "./metrics.js";

export type LabelledRow = {
  id: string;
  source: string;
  category?: string;
  prompt: string;
  weak_correct?: boolean;
  strong_correct?: boolean;
  weak_score?: number;
  strong_score?: number;
};

export function readJsonl(file: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (cause) {
      throw new Error(`${file}:${i + 1}: not JSON`, { cause });
    }
    const r = row as Partial<LabelledRow>;
    if (typeof r.prompt !== "string" || (typeof r.id !== "string" && typeof r.id !== "number")) {
      throw new Error(`${file}:${i + 1}: needs "id" and "prompt"`);
    }
    rows.push({ ...(r as LabelledRow), id: String(r.id), source: typeof r.source === "string" ? r.source : "unknown" });
  }
  return rows;
}

/** Quality of the weak and strong answers: judge scores where present (MT-Bench), else correctness. */
export function qualities(row: LabelledRow): { weak: number; strong: number } {
  if (typeof row.weak_score === "number" && typeof row.strong_score === "number") {
    return { weak: row.weak_score, strong: row.strong_score };
  }
  return { weak: row.weak_correct ? 1 : 0, strong: row.strong_correct ? 1 : 0 };
}

export function hasLabels(row: LabelledRow): boolean {
  return (typeof row.weak_score === "number" && typeof row.strong_score === "number") ||
    (typeof row.weak_correct === "boolean" && typeof row.strong_correct === "boolean");
}

export function routedItems(rows: readonly LabelledRow[], scores: readonly number[]): RoutedItem[] {
  return rows.map((row, i) => ({ score: scores[i]!, ...qualities(row) }));
}

export const FOLDS = 5;

/** A 32-bit finaliser (MurmurHash3's fmix32): every output bit depends on every input bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
/** Sources the router is trained on; the rest (MT-Bench) is only ever evaluated. */
export const TRAIN_SOURCES = new Set(["mmlu", "gsm8k"]);

/**
 * Fold of a row for group k-fold: MMLU by subject (subjects dealt to folds largest first, each to the fold with
 * the fewest rows so far, so folds are balanced), other sources by a hash of the id. -1 = never trained on.
 * A non-zero `seed` gives another split of the same kind (subjects dealt in a seeded order, ids hashed with the
 * seed), for repeated cross-validation.
 */
export function assignFolds(rows: readonly LabelledRow[], folds = FOLDS, seed = 0): number[] {
  const subjectSizes = new Map<string, number>();
  for (const r of rows) if (r.source === "mmlu") subjectSizes.set(r.category ?? "", (subjectSizes.get(r.category ?? "") ?? 0) + 1);
  const subjects = [...subjectSizes.entries()];
  if (seed === 0) subjects.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  else subjects.sort((a, b) => fnv1a(`${seed}${a[0]}`) - fnv1a(`${seed}${b[0]}`) || (a[0] < b[0] ? -1 : 1));
  const load = new Array<number>(folds).fill(0);
  const subjectFold = new Map<string, number>();
  for (const [subject, size] of subjects) {
    let best = 0;
    for (let f = 1; f < folds; f++) if (load[f]! < load[best]!) best = f;
    subjectFold.set(subject, best);
    load[best]! += size;
  }
  return rows.map((r) => {
    if (!TRAIN_SOURCES.has(r.source)) return -1;
    if (r.source === "mmlu") return subjectFold.get(r.category ?? "")!;
    // FNV-1a's low bits depend only on the characters' low bits, so `hash % folds` of a seeded id can deal the
    // same groups as seed 0 (it did for seed 2); seeded splits mix the hash's bits first.
    return seed === 0 ? fnv1a(r.id) % folds : mix32(fnv1a(`${seed}:${r.id}`)) % folds;
  });
}
