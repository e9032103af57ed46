import type { EvalRow, EvalSplit } from "./training/redact/eval-set.js";
import { score, type Score } from "./training/redact/pii-dataset.js";
import { emptyPlaceholderMap, type RedactionResult, type Redactor } from "../electron/core/cloud/redact/redactor.js";

/**
 * Scores the redactor on Hearth's own evaluation set (test/fixtures/redact-eval): recall per type on the PII
 * messages, collateral and the "Auto would ask" rate on the PII-free prose. Pure: takes the rows and a redactor,
 * so the test can hand it a redactor that hides nothing.
 */

/** What the benchmark needs of a redactor: `redact` with its redactions and doubts. */
export type RedactFn = Pick<Redactor, "redact">;

/**
 * The issue's goals: identifiers must essentially never leak; names, places and organisations are harder.
 * AGE is reported without a goal: the issue sets none, and a bare age rarely identifies anyone on its own.
 */
export const IDENTIFIER_TYPES = [
  "EMAIL",
  "PHONE",
  "CARD",
  "IBAN",
  "NATIONAL_ID",
  "ACCOUNT",
  "CASE_NUMBER",
  "MEDICAL_RECORD",
  "POSTCODE",
  "IP",
  "URL",
  "SECRET",
  "DATE",
] as const;
export const NAME_TYPES = ["PERSON", "ADDRESS", "ORG", "LOCATION"] as const;
export const GOALS = { identifier: 0.99, name: 0.9, collateral: 0.01 } as const;

export type TypeRecall = { total: number; removed: number; fullyRemoved: number; recall: number; strict: number };
export type HiddenTerm = { term: string; type: string; count: number };
export type Leak = { id: string; type: string; value: string };

export type PartReport = {
  split: EvalSplit;
  pii: {
    messages: number;
    byType: Record<string, TypeRecall>;
    byLang: Record<string, { total: number; removed: number; recall: number }>;
    /** Words outside every labelled value that were hidden anyway. */
    collateral: { words: number; destroyed: number; share: number };
    asked: number;
    /** Labelled values still present verbatim in the redacted text (dev part only). */
    leaks: Leak[];
  };
  prose: {
    messages: number;
    terms: number;
    hidden: number;
    collateral: number;
    asked: number;
    askRate: number;
    askReasons: Record<string, number>;
    hiddenTerms: HiddenTerm[];
  };
};

/** One goal judged: `value` against `target` (recall at least, collateral at most); `n` values behind it. */
export type GoalCheck = { name: string; op: ">=" | "<="; target: number; value: number; n: number; pass: boolean };

const TERM = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

function withRecall(s: Score): Record<string, TypeRecall> {
  const out: Record<string, TypeRecall> = {};
  for (const [type, t] of Object.entries(s.byType)) {
    out[type] = { ...t, recall: t.removed / t.total, strict: t.fullyRemoved / t.total };
  }
  return out;
}

/** Auto mode asks instead of sending when the result carries doubts (see doubts.ts). */
function hasDoubts(result: RedactionResult): boolean {
  return result.doubts.length > 0;
}

function reasonsOf(result: RedactionResult): string[] {
  return [...new Set(result.doubts.map((d) => d.reason))];
}

export function evaluatePart(split: EvalSplit, pii: readonly EvalRow[], prose: readonly EvalRow[], redactor: RedactFn): PartReport {
  const piiRows = pii.filter((r) => r.split === split);
  const proseRows = prose.filter((r) => r.split === split);

  const redacted = new Map<string, string>();
  let piiAsked = 0;
  for (const row of piiRows) {
    const result = redactor.redact(row.text, emptyPlaceholderMap());
    redacted.set(row.id, result.text);
    if (hasDoubts(result)) piiAsked++;
  }
  const s = score(piiRows, redacted);
  const byLang: PartReport["pii"]["byLang"] = {};
  const leaks: Leak[] = [];
  for (const row of piiRows) {
    const l = (byLang[row.lang] ??= { total: 0, removed: 0, recall: 0 });
    for (const span of row.spans) {
      l.total++;
      if (!redacted.get(row.id)?.includes(span.value)) l.removed++;
      // Held-out misses are only counted: listing them would invite tuning on the held-out part.
      else if (split === "dev") leaks.push({ id: row.id, type: span.type, value: span.value });
    }
  }
  for (const l of Object.values(byLang)) l.recall = l.total === 0 ? 1 : l.removed / l.total;

  let terms = 0;
  let hidden = 0;
  let asked = 0;
  const askReasons: Record<string, number> = {};
  const hiddenTerms = new Map<string, HiddenTerm>();
  for (const row of proseRows) {
    const result = redactor.redact(row.text, emptyPlaceholderMap());
    if (hasDoubts(result)) {
      asked++;
      for (const reason of reasonsOf(result)) askReasons[reason] = (askReasons[reason] ?? 0) + 1;
    }
    for (const m of row.text.matchAll(TERM)) {
      terms++;
      const start = m.index;
      const end = start + m[0].length;
      const by = result.redactions.find((r) => r.start < end && r.end > start);
      if (!by) continue;
      hidden++;
      const key = `${by.type}\u0000${m[0]}`;
      const entry = hiddenTerms.get(key) ?? { term: m[0], type: by.type, count: 0 };
      entry.count++;
      hiddenTerms.set(key, entry);
    }
  }

  return {
    split,
    pii: {
      messages: piiRows.length,
      byType: withRecall(s),
      byLang,
      collateral: {
        ...s.collateral,
        share: s.collateral.words === 0 ? 0 : s.collateral.destroyed / s.collateral.words,
      },
      asked: piiAsked,
      leaks,
    },
    prose: {
      messages: proseRows.length,
      terms,
      hidden,
      collateral: terms === 0 ? 0 : hidden / terms,
      asked,
      askRate: proseRows.length === 0 ? 0 : asked / proseRows.length,
      askReasons,
      hiddenTerms: [...hiddenTerms.values()].sort((a, b) => b.count - a.count || a.term.localeCompare(b.term)),
    },
  };
}

/** Per-type recall goals (a type absent from the set is not judged) plus collateral when prose was measured. */
export function checkGoals(byType: Record<string, { total: number; removed: number }>, collateral?: number): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const judge = (types: readonly string[], goal: number): void => {
    for (const type of types) {
      const t = byType[type];
      if (!t || t.total === 0) continue;
      const value = t.removed / t.total;
      checks.push({ name: `${type} recall`, op: ">=", target: goal, value, n: t.total, pass: value >= goal });
    }
  };
  judge(IDENTIFIER_TYPES, GOALS.identifier);
  judge(NAME_TYPES, GOALS.name);
  if (collateral !== undefined) {
    const target = GOALS.collateral;
    checks.push({ name: "prose collateral", op: "<=", target, value: collateral, n: 0, pass: collateral <= target });
  }
  return checks;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const mark = (pass: boolean): string => (pass ? "pass" : "FAIL");
const goalText = (g: GoalCheck): string => `${g.op === ">=" ? "≥" : "≤"}${(g.target * 100).toFixed(0)}%  ${mark(g.pass)}`;

export function formatPart(part: PartReport, title: string, options: { verbose?: boolean; goals?: boolean } = {}): string {
  const goals = new Map(
    checkGoals(part.pii.byType, part.prose.messages > 0 ? part.prose.collateral : undefined).map((g) => [g.name, g]),
  );
  const lines = [title, "type                 n   recall  strict   goal"];
  for (const [type, t] of Object.entries(part.pii.byType).sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]))) {
    const g = goals.get(`${type} recall`);
    const goal = g && options.goals !== false ? goalText(g) : "";
    lines.push(
      `${type.padEnd(16)} ${String(t.total).padStart(5)}   ${pct(t.recall).padStart(6)}  ${pct(t.strict).padStart(6)}   ${goal}`,
    );
  }
  const langs = Object.entries(part.pii.byLang)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([lang, l]) => `${lang} ${pct(l.recall)} (${l.total})`);
  lines.push(
    `recall by language: ${langs.join(", ")}`,
    `PII messages: ${part.pii.messages}; words outside labelled values hidden: ${part.pii.collateral.destroyed} of ${part.pii.collateral.words} (${pct(part.pii.collateral.share)}); Auto would ask on ${part.pii.asked}`,
  );
  const c = goals.get("prose collateral");
  lines.push(
    `PII-free prose: ${part.prose.messages} messages, ${part.prose.hidden} of ${part.prose.terms} terms hidden (${pct(part.prose.collateral)})` +
      (c && options.goals !== false ? `   goal ${goalText(c)}` : ""),
    `Auto would ask on ${part.prose.asked} of ${part.prose.messages} prose messages (${pct(part.prose.askRate)})` +
      (Object.keys(part.prose.askReasons).length
        ? `: ${Object.entries(part.prose.askReasons).map(([r, n]) => `${r} ${n}`).join(", ")}`
        : ""),
  );
  // Only the dev part is ever listed: a list of held-out misses would invite tuning to them.
  if (options.verbose && part.split === "dev") {
    lines.push(`hidden prose terms (${part.split}):`);
    for (const h of part.prose.hiddenTerms) lines.push(`  ${String(h.count).padStart(3)}  ${h.term}  -> ${h.type}`);
    lines.push("leaked PII values (dev):");
    for (const l of part.pii.leaks) lines.push(`  ${l.id}  ${l.type}  ${l.value.replace(/\n/g, "\\n")}`);
  }
  return lines.join("\n");
}
