import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** One labelled text of the Presidio-derived set in ../shared/data/pii (see its README). */
export type LabelledSpan = { type: string; value: string; start: number; end: number };
export type LabelledText = { id: string; text: string; spans: LabelledSpan[] };

export function readJsonl(path: string): LabelledText[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelledText);
}

/** FNV-1a: a stable hash, so the held-out part is the same on every machine and every run. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** 30 % of ids, chosen by hash, are held out: never trained or tuned on, only measured. */
export function isHeldOut(id: string): boolean {
  return fnv1a(id) % 10 < 3;
}

export function splitDataset(rows: readonly LabelledText[]): { train: LabelledText[]; heldOut: LabelledText[] } {
  return { train: rows.filter((r) => !isHeldOut(r.id)), heldOut: rows.filter((r) => isHeldOut(r.id)) };
}

export const STRUCTURED_TYPES = [
  "CREDIT_CARD",
  "PHONE_NUMBER",
  "EMAIL_ADDRESS",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "US_DRIVER_LICENSE",
] as const;
export const ENTITY_TYPES = ["PERSON", "STREET_ADDRESS", "ORGANIZATION"] as const;

/**
 * Which characters of `original` did the redaction destroy? The redacted text is the original with some spans
 * swapped for `[TYPE_N]` placeholders, so its literal pieces are found in order and everything between them is gone.
 */
export function destroyedMask(original: string, redacted: string): Uint8Array {
  const destroyed = new Uint8Array(original.length).fill(1);
  const pieces = redacted.split(/\[[A-Z_]+_\d+\]/);
  let cursor = 0;
  pieces.forEach((piece, i) => {
    if (piece === "") {
      if (i > 0) cursor++;
      return;
    }
    const at = i === 0 ? (original.startsWith(piece) ? 0 : -1) : original.indexOf(piece, cursor + 1);
    if (at < 0) return;
    destroyed.fill(0, at, at + piece.length);
    cursor = at + piece.length;
  });
  return destroyed;
}

export type TypeScore = { total: number; removed: number; fullyRemoved: number };
export type Score = { byType: Record<string, TypeScore>; collateral: { words: number; destroyed: number } };

/**
 * Recall per type: a labelled value counts as removed when it no longer appears verbatim in the redacted text
 * (the README's measure); `fullyRemoved` is stricter: every letter and digit of the span was replaced.
 * Collateral: the share of ordinary words outside every labelled span that lost any character.
 */
export function score(rows: readonly LabelledText[], redactedById: ReadonlyMap<string, string>): Score {
  const byType: Record<string, TypeScore> = {};
  let words = 0;
  let destroyedWords = 0;
  for (const row of rows) {
    const redacted = redactedById.get(row.id);
    if (redacted === undefined) throw new Error(`no redacted text for ${row.id}`);
    const mask = destroyedMask(row.text, redacted);
    const inSpan = new Uint8Array(row.text.length);
    for (const span of row.spans) {
      inSpan.fill(1, span.start, span.end);
      const s = (byType[span.type] ??= { total: 0, removed: 0, fullyRemoved: 0 });
      s.total++;
      if (!redacted.includes(span.value)) s.removed++;
      let full = true;
      for (let i = span.start; i < span.end; i++) if (/[\p{L}\p{N}]/u.test(row.text[i] ?? "") && !mask[i]) full = false;
      if (full) s.fullyRemoved++;
    }
    for (const m of row.text.matchAll(/\p{L}+(?:['’]\p{L}+)*/gu)) {
      const start = m.index;
      const end = start + m[0].length;
      let labelled = false;
      let lost = false;
      for (let i = start; i < end; i++) {
        if (inSpan[i]) labelled = true;
        if (mask[i]) lost = true;
      }
      if (labelled) continue;
      words++;
      if (lost) destroyedWords++;
    }
  }
  return { byType, collateral: { words, destroyed: destroyedWords } };
}

export function recallOf(score: Score, types: readonly string[]): number {
  let total = 0;
  let removed = 0;
  for (const t of types) {
    total += score.byType[t]?.total ?? 0;
    removed += score.byType[t]?.removed ?? 0;
  }
  return total === 0 ? 1 : removed / total;
}

export function collateralOf(score: Score): number {
  return score.collateral.words === 0 ? 0 : score.collateral.destroyed / score.collateral.words;
}

/** `relative` under the nearest of `from` and its ancestors that has it (the data sits beside the repo). */
export function findUp(from: string, relative: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The labelled dev set: $HEARTH_PII_DATA, or shared/data/pii/dev.jsonl beside or above the working directory. */
export function findDevSet(from = process.cwd()): string | undefined {
  const env = process.env.HEARTH_PII_DATA;
  if (env && existsSync(env)) return env;
  return findUp(from, "shared/data/pii/dev.jsonl") ?? findUp(join(from, ".."), "shared/data/pii/dev.jsonl");
}
