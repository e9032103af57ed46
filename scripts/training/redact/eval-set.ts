import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PRIORITY, type RedactionType } from "../../../electron/core/cloud/redact/detection.js";
import { findUp, fnv1a, type LabelledSpan, type LabelledText } from "./pii-dataset.js";

/**
 * Hearth's own evaluation set (test/fixtures/redact-eval, see its README): hand-written messages in six languages.
 * PII rows mark each value inline as `{TYPE|value}`; prose rows have no PII and no markup.
 * A third of the rows, chosen by a hash of the id, is held out: measured, never looked at while tuning.
 */

export type EvalSplit = "dev" | "heldout";
export type EvalRow = LabelledText & { lang: string; domain: string; split: EvalSplit };

/** The types a span may carry: every type the redactor can replace (its overlap ranking lists them all). */
export const EVAL_TYPES: readonly RedactionType[] = PRIORITY;

/** The one split rule: held out when FNV-1a of the id is 0 mod 3. Deterministic on every machine. */
export function splitOf(id: string): EvalSplit {
  return fnv1a(id) % 3 === 0 ? "heldout" : "dev";
}

export class EvalSetError extends Error {}

const OPEN = /\{([A-Z_]+)\|/g;

/**
 * `Patient {PERSON|Anna Schmidt}, geb. {DATE|12.03.1961}` -> the plain text and its spans.
 * A `{` only opens a span when an upper-case name and `|` follow, so JSON or code braces in a message stay text.
 * Errors name the row: unknown type, unclosed or empty span, a span inside a span.
 */
export function parseMarkup(marked: string, where = "row"): { text: string; spans: LabelledSpan[] } {
  const spans: LabelledSpan[] = [];
  let text = "";
  let cursor = 0;
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(marked); m; m = OPEN.exec(marked)) {
    const type = m[1] ?? "";
    if (!(EVAL_TYPES as readonly string[]).includes(type)) throw new EvalSetError(`${where}: unknown type ${type}`);
    const valueStart = m.index + m[0].length;
    const close = marked.indexOf("}", valueStart);
    if (close < 0) throw new EvalSetError(`${where}: unclosed {${type}| span`);
    const value = marked.slice(valueStart, close);
    if (value.trim() === "" || value !== value.trim()) {
      throw new EvalSetError(`${where}: empty or space-padded {${type}|} span`);
    }
    OPEN.lastIndex = 0;
    if (OPEN.test(value)) throw new EvalSetError(`${where}: a span inside the {${type}| span`);
    text += marked.slice(cursor, m.index);
    spans.push({ type, value, start: text.length, end: text.length + value.length });
    text += value;
    cursor = close + 1;
    OPEN.lastIndex = cursor;
  }
  text += marked.slice(cursor);
  return { text, spans };
}

type RawRow = { id?: unknown; lang?: unknown; domain?: unknown; text?: unknown };

/** JSON Lines of `{id, lang, domain, text}`; with `markup` false, a row that looks marked up is an error. */
export function parseEvalJsonl(
  content: string,
  options: { markup: boolean; source?: string; split?: EvalSplit },
): EvalRow[] {
  const rows: EvalRow[] = [];
  const seen = new Set<string>();
  content.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${options.source ?? "eval set"}:${i + 1}`;
    let raw: RawRow;
    try {
      raw = JSON.parse(line) as RawRow;
    } catch {
      throw new EvalSetError(`${where}: not JSON`);
    }
    const { id, lang, domain, text } = raw;
    if (typeof id !== "string" || typeof lang !== "string" || typeof domain !== "string" || typeof text !== "string") {
      throw new EvalSetError(`${where}: needs string id, lang, domain and text`);
    }
    if (seen.has(id)) throw new EvalSetError(`${where}: duplicate id ${id}`);
    seen.add(id);
    const parsed = parseMarkup(text, `${where} (${id})`);
    if (!options.markup && parsed.spans.length > 0) throw new EvalSetError(`${where} (${id}): PII markup in the prose set`);
    if (options.markup && parsed.spans.length === 0) throw new EvalSetError(`${where} (${id}): no labelled value`);
    rows.push({ id, lang, domain, split: options.split ?? splitOf(id), ...parsed });
  });
  return rows;
}

export type EvalSet = { pii: EvalRow[]; prose: EvalRow[]; dir: string };

/** The fixture folder, found above `from` (the benchmark runs from dist-electron, tests from the repo root). */
export function findEvalSetDir(from = process.cwd()): string | undefined {
  const readme = findUp(from, "test/fixtures/redact-eval/pii.jsonl");
  return readme ? join(readme, "..") : undefined;
}

/**
 * Rows written later to tune on (`pii-dev-extra.jsonl`, `prose-dev-extra.jsonl`, optional) are always dev: the
 * held-out third stays the rows of the original files whose ids hash to it, and no new row joins it after tuning.
 */
export function loadEvalSet(dir: string): EvalSet {
  const read = (name: string, markup: boolean, split?: EvalSplit): EvalRow[] =>
    existsSync(join(dir, name)) || split === undefined
      ? parseEvalJsonl(readFileSync(join(dir, name), "utf8"), { markup, source: name, ...(split ? { split } : {}) })
      : [];
  const pii = [...read("pii.jsonl", true), ...read("pii-dev-extra.jsonl", true, "dev")];
  const prose = [...read("prose.jsonl", false), ...read("prose-dev-extra.jsonl", false, "dev")];
  for (const rows of [pii, prose]) {
    const ids = new Set<string>();
    for (const row of rows) {
      if (ids.has(row.id)) throw new EvalSetError(`duplicate id ${row.id} across the eval set's files`);
      ids.add(row.id);
    }
  }
  return { pii, prose, dir };
}
