import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRedactor } from "../electron/core/cloud/redact/redactor.js";
import { evaluatePart } from "./bench-redact-hearth.js";
import { findEvalSetDir, loadEvalSet, splitOf, type EvalRow } from "./training/redact/eval-set.js";
import { findDevSet, fnv1a, readJsonl, splitDataset, type LabelledText } from "./training/redact/pii-dataset.js";
import { trainNer } from "./training/redact/train-ner.js";

/**
 * Experiment (issue 10): would the tagger hide fewer ordinary words if it also learned from Hearth's own dev rows,
 * PII-free prose as negatives and, optionally, the dev PII messages' names, addresses, organisations and places?
 * Measured by K-fold cross-validation over those dev rows only: each fold trains on the Presidio training part
 * plus the other folds and scores the held fold's prose collateral and entity recall. The held-out third of the
 * eval set and the prose-dev-extra rows set aside (FNV-1a(id) mod 3 = 0) are never used.
 *
 * Usage: npm run -s build:node && node dist-electron/scripts/bench-redact-negatives.js [--folds 5] [--positives]
 */

const EVAL_TO_PRESIDIO: Record<string, string> = { PERSON: "PERSON", ADDRESS: "STREET_ADDRESS", ORG: "ORGANIZATION", LOCATION: "GPE" };
const ENTITIES = ["PERSON", "ORG", "ADDRESS", "LOCATION"] as const;

/** An eval row as a training text: its entity spans under the Presidio names, every other span left unlearned. */
function asTraining(row: EvalRow): LabelledText {
  return { id: row.id, text: row.text, spans: row.spans.map((s) => ({ ...s, type: EVAL_TO_PRESIDIO[s.type] ?? "DATE_TIME" })) };
}

export type FoldResult = { fold: number; collateral: number; hidden: number; terms: number; recall: Record<string, [number, number]> };

export function negativesCrossValidation(options: { folds: number; positives: boolean; variant: "baseline" | "with-rows" }): FoldResult[] {
  const dir = findEvalSetDir();
  const presidio = findDevSet();
  if (!dir || !presidio) throw new Error("needs test/fixtures/redact-eval and ../shared/data/pii/dev.jsonl");
  const extraIds = new Set(
    readFileSync(join(dir, "prose-dev-extra.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: string }).id),
  );
  const { pii, prose } = loadEvalSet(dir);
  const aside = (r: EvalRow): boolean => extraIds.has(r.id) && splitOf(r.id) === "heldout";
  const pool = [...prose, ...(options.positives ? pii : [])].filter((r) => r.split === "dev" && !aside(r));
  const { train } = splitDataset(readJsonl(presidio));
  const foldOf = (r: EvalRow): number => fnv1a(`neg:${r.id}`) % options.folds;
  const results: FoldResult[] = [];
  for (let k = 0; k < options.folds; k++) {
    const held = pool.filter((r) => foldOf(r) === k);
    const extra = options.variant === "with-rows" ? pool.filter((r) => foldOf(r) !== k).map(asTraining) : [];
    const redactor = createRedactor({ nerModel: trainNer([...train, ...extra]) });
    const part = evaluatePart("dev", held.filter((r) => r.spans.length > 0), held.filter((r) => r.spans.length === 0), redactor);
    const recall: Record<string, [number, number]> = {};
    for (const t of ENTITIES) {
      const r = part.pii.byType[t];
      if (r) recall[t] = [r.removed, r.total];
    }
    results.push({ fold: k, collateral: part.prose.collateral, hidden: part.prose.hidden, terms: part.prose.terms, recall });
  }
  return results;
}

function main(): void {
  const { values } = parseArgs({ options: { folds: { type: "string", default: "5" }, positives: { type: "boolean", default: false } } });
  const folds = Number(values.folds);
  for (const variant of ["baseline", "with-rows"] as const) {
    const results = negativesCrossValidation({ folds, positives: values.positives, variant });
    const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
    console.log(`== ${variant === "baseline" ? "Presidio training part only (as shipped)" : "plus the other folds' dev rows"}`);
    for (const r of results) {
      const rec = Object.entries(r.recall).map(([t, [a, b]]) => `${t} ${a}/${b}`).join(" ");
      console.log(`fold ${r.fold}: prose ${r.hidden}/${r.terms} hidden (${pct(r.collateral)}) ${rec}`);
    }
    const c = results.map((r) => r.collateral);
    console.log(`collateral mean ${pct(c.reduce((a, b) => a + b, 0) / c.length)}, worst fold ${pct(Math.max(...c))}`);
    for (const t of ENTITIES) {
      const [a, b] = results.reduce(([x, y], r) => [x + (r.recall[t]?.[0] ?? 0), y + (r.recall[t]?.[1] ?? 0)], [0, 0]);
      if (b > 0) console.log(`${t} recall over all folds ${a}/${b} (${pct(a / b)})`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
