import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { PerceptronModel } from "../electron/core/cloud/redact/perceptron.js";
import {
  collateralOf,
  ENTITY_TYPES,
  findDevSet,
  findUp,
  isHeldOut,
  readJsonl,
  recallOf,
  score,
  splitDataset,
  STRUCTURED_TYPES,
  type LabelledText,
  type Score,
} from "./training/redact/pii-dataset.js";
import { findEvalSetDir, loadEvalSet } from "./training/redact/eval-set.js";
import { createRedactor, emptyPlaceholderMap } from "../electron/core/cloud/redact/redactor.js";
import { trainNer } from "./training/redact/train-ner.js";
import { checkGoals, evaluatePart, formatPart, GOALS, type GoalCheck, type RedactFn } from "./bench-redact-hearth.js";

/**
 * Redaction quality, measured on parts never trained or tuned on:
 * - Hearth's own set (test/fixtures/redact-eval, six languages, hand-labelled): recall per type on the held-out
 *   third of the PII messages, collateral and the "Auto would ask" rate on the held-out PII-free prose; the dev
 *   part is reported too, labelled as such.
 * - The Presidio-derived set (../shared/data/pii/dev.jsonl): recall per type and collateral on its held-out 30 %.
 *
 * Usage: npm run -s bench:redact -- [--set all|hearth|presidio] [--data FILE] [--json] [--verbose]
 *        --verbose lists the prose terms hidden and the PII values leaked, for the dev part only
 *        --train   retrain the tagger on the training 70 % of the Presidio set and write ner-model.ts
 *        --cv      tune without touching the held-out part: train on 4/5 of the training part, score the other 1/5
 */

export function evaluate(rows: readonly LabelledText[], nerModel?: PerceptronModel, redactor: RedactFn = createRedactor(nerModel ? { nerModel } : {})): Score {
  const redacted = new Map(rows.map((r) => [r.id, redactor.redact(r.text, emptyPlaceholderMap()).text] as const));
  return score(rows, redacted);
}

/** The sentence with its labelled values taken out: texts from one generator template share it. */
function templateOf(row: LabelledText): string {
  let t = row.text;
  for (const s of [...row.spans].sort((a, b) => b.start - a.start)) t = t.slice(0, s.start) + s.type + t.slice(s.end);
  return t;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatScore(s: Score, title: string): string {
  const lines = [title, "type                  n   recall  fully-removed"];
  for (const [type, t] of Object.entries(s.byType).sort((a, b) => b[1].total - a[1].total)) {
    lines.push(
      `${type.padEnd(18)} ${String(t.total).padStart(4)}   ${pct(t.removed / t.total).padStart(6)}  ${pct(t.fullyRemoved / t.total).padStart(6)}`,
    );
  }
  lines.push(
    `structured (cards, phones, emails, IBANs, SSNs, IPs, licences): ${pct(recallOf(s, STRUCTURED_TYPES))}`,
    `names, street addresses, organisations:                         ${pct(recallOf(s, ENTITY_TYPES))}`,
    `collateral: ${s.collateral.destroyed} of ${s.collateral.words} ordinary words destroyed (${pct(collateralOf(s))})`,
  );
  return lines.join("\n");
}

export type PresidioReport = { path: string; texts: number; score: Score; goals: GoalCheck[] };
export type HearthReport = {
  dir: string;
  heldout: ReturnType<typeof evaluatePart>;
  dev: ReturnType<typeof evaluatePart>;
  /** Judged on the held-out part only. */
  goals: GoalCheck[];
};
/** Time to redact one 2,000-character message (the median and slowest of 15 runs after a warm-up), in ms. */
export type SpeedReport = { chars: number; medianMs: number; maxMs: number };

export type BenchReport = { hearth?: HearthReport; presidio?: PresidioReport; speed?: SpeedReport; missing: string[] };

export function measureSpeed(redactor: RedactFn, texts: readonly string[], chars = 2000): SpeedReport | undefined {
  const text = texts.join("\n").slice(0, chars);
  if (text.length < chars) return undefined;
  redactor.redact(text, emptyPlaceholderMap()); // loads lexicons and the tagger once
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    redactor.redact(text, emptyPlaceholderMap());
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return { chars, medianMs: round(times[7] ?? 0), maxMs: round(times[times.length - 1] ?? 0) };
}

/** The Presidio set's types mapped onto the same goals: its identifiers at 0.99, names and addresses at 0.90. */
function presidioGoals(s: Score): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const judge = (types: readonly string[], goal: number): void => {
    for (const type of types) {
      const t = s.byType[type];
      if (!t || t.total === 0) continue;
      const value = t.removed / t.total;
      checks.push({ name: `${type} recall`, op: ">=", target: goal, value, n: t.total, pass: value >= goal });
    }
  };
  judge(STRUCTURED_TYPES, GOALS.identifier);
  judge(ENTITY_TYPES, GOALS.name);
  return checks;
}

export function runBench(options: {
  set: "all" | "hearth" | "presidio";
  redactor?: RedactFn;
  evalDir?: string;
  presidioPath?: string;
}): BenchReport {
  const redactor = options.redactor ?? createRedactor();
  const report: BenchReport = { missing: [] };
  if (options.set !== "presidio") {
    const dir = options.evalDir ?? findEvalSetDir() ?? findEvalSetDir(fileURLToPath(new URL(".", import.meta.url)));
    if (!dir || !existsSync(join(dir, "pii.jsonl"))) report.missing.push(dir ?? "test/fixtures/redact-eval");
    else {
      const { pii, prose } = loadEvalSet(dir);
      const heldout = evaluatePart("heldout", pii, prose, redactor);
      const dev = evaluatePart("dev", pii, prose, redactor);
      report.hearth = { dir, heldout, dev, goals: checkGoals(heldout.pii.byType, heldout.prose.collateral) };
      const speed = measureSpeed(redactor, [...pii, ...prose].map((r) => r.text));
      if (speed) report.speed = speed;
    }
  }
  if (options.set !== "hearth") {
    const path = options.presidioPath ?? findDevSet();
    if (!path || !existsSync(path)) report.missing.push(path ?? "shared/data/pii/dev.jsonl (or $HEARTH_PII_DATA)");
    else {
      const { heldOut } = splitDataset(readJsonl(path));
      const s = evaluate(heldOut, undefined, redactor);
      report.presidio = { path, texts: heldOut.length, score: s, goals: presidioGoals(s) };
    }
  }
  return report;
}

export function formatReport(report: BenchReport, verbose = false): string {
  const out: string[] = [];
  if (report.hearth) {
    const h = report.hearth;
    out.push(
      formatPart(
        h.heldout,
        `== Hearth evaluation set, HELD-OUT third (never tuned on): ${h.heldout.pii.messages} PII messages, ${h.heldout.prose.messages} prose messages\n   (${h.dir})`,
        { verbose },
      ),
      `goals (held-out): ${h.goals.filter((g) => g.pass).length} of ${h.goals.length} met` +
        (h.goals.some((g) => !g.pass) ? `; not met: ${h.goals.filter((g) => !g.pass).map((g) => g.name).join(", ")}` : ""),
      "",
      formatPart(
        h.dev,
        `== Hearth evaluation set, DEV part (open for tuning, not the figure to report): ${h.dev.pii.messages} PII messages, ${h.dev.prose.messages} prose messages`,
        { verbose, goals: false },
      ),
      "",
    );
  }
  if (report.presidio) {
    const p = report.presidio;
    out.push(formatScore(p.score, `== Presidio-derived set, held-out 30 %: ${p.texts} texts never trained or tuned on (${p.path})`));
    out.push(`goals (held-out): ${p.goals.map((g) => `${g.name} ${(g.value * 100).toFixed(1)}% ${g.pass ? "pass" : "FAIL"}`).join(", ")}`);
  }
  if (report.speed) {
    out.push(`speed: ${report.speed.chars}-character message redacted in ${report.speed.medianMs} ms (median of 15; slowest ${report.speed.maxMs} ms)`);
  }
  for (const m of report.missing) out.push(`(not measured: ${m} not found)`);
  return out.join("\n");
}

function main(): void {
  const { values } = parseArgs({
    options: {
      set: { type: "string", default: "all" },
      data: { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      train: { type: "boolean", default: false },
      cv: { type: "boolean", default: false },
    },
  });
  const set = values.set;
  if (set !== "all" && set !== "hearth" && set !== "presidio") {
    console.error(`--set must be all, hearth or presidio (got ${set})`);
    process.exit(2);
  }
  if (!values.cv && !values.train) {
    const report = runBench({ set, ...(values.data ? { presidioPath: values.data } : {}) });
    if ((set === "presidio" && !report.presidio) || (set === "hearth" && !report.hearth)) {
      console.error(`no labelled set: ${report.missing.join(", ")} (pass --data FILE or set HEARTH_PII_DATA)`);
      process.exit(2);
    }
    console.log(values.json ? JSON.stringify(report) : formatReport(report, values.verbose));
    return;
  }
  const path = values.data ?? findDevSet();
  if (!path) {
    console.error("no labelled set: pass --data FILE or set HEARTH_PII_DATA (looked for shared/data/pii/dev.jsonl)");
    process.exit(2);
  }
  const { train } = splitDataset(readJsonl(path));
  if (values.cv) {
    const byId = (_: LabelledText, i: number): boolean => i % 5 === 0;
    const tune = train.filter(byId);
    const model = trainNer(train.filter((r, i) => !byId(r, i)));
    console.log(formatScore(evaluate(tune, model), `cross-validation: ${tune.length} texts of the training part`));
    // Harder: whole sentence templates held out, so no test sentence shape was seen in training.
    const byTemplate = (r: LabelledText): boolean => isHeldOut(`fold:${templateOf(r)}`);
    const unseen = train.filter(byTemplate);
    const model2 = trainNer(train.filter((r) => !byTemplate(r)));
    console.log("\n" + formatScore(evaluate(unseen, model2), `unseen templates: ${unseen.length} texts of the training part`));
    return;
  }
  if (values.train) {
    const model = trainNer(train);
    const here = fileURLToPath(new URL(".", import.meta.url));
    const target = findUp(here, "electron/core/cloud/redact/ner-model.ts");
    if (!target) throw new Error("electron/core/cloud/redact/ner-model.ts not found above " + here);
    const json = JSON.stringify(model);
    writeFileSync(
      target,
      "// Generated by `npm run bench:redact -- --train` from the training part of ../shared/data/pii/dev.jsonl\n" +
        "// (Presidio research synthetic set, MIT). Do not edit by hand.\n" +
        `export const NER_MODEL_JSON = ${JSON.stringify(json)};\n`,
    );
    console.error(`wrote ${target}: ${Object.keys(model.weights).length} features, ${(json.length / 1024).toFixed(0)} KiB`);
    console.error("rebuild (npm run build:node) before measuring the held-out part with the new model");
    return;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
