import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { findEvalSetDir, loadEvalSet, type EvalRow, type EvalSplit } from "./training/redact/eval-set.js";
import { engineAsk } from "../electron/core/cloud/redact/llm-pass-engine.js";
import { runSecondPass, type SecondPassStatus } from "../electron/core/cloud/redact/llm-pass.js";
import { createRedactor, emptyPlaceholderMap, type RedactionResult } from "../electron/core/cloud/redact/redactor.js";
import { Engine } from "../electron/core/engine/engine.js";
import { evaluatePart, IDENTIFIER_TYPES, NAME_TYPES, type PartReport } from "./bench-redact-hearth.js";

/**
 * What the local model's second redaction pass adds: recall per type on Hearth's evaluation set
 * (test/fixtures/redact-eval, the held-out third by default) with the first pass alone and with the second pass,
 * collateral on the PII-free prose both ways, and how long the checks took. JSON on stdout.
 *
 * Usage: npm run -s bench:redact-llm -- --model PATH [--split heldout|dev] [--limit N] [--timeout-ms 20000]
 *        [--threads N] [--cpu] [--any-model]
 *   --any-model  lets a model under 1B parameters run (the tiny test models: the figures then mean nothing)
 *   --limit      the first N PII messages and N prose messages of the split (a quick run)
 */

export type BenchOptions = {
  model: string;
  split: EvalSplit;
  limit: number | null;
  timeoutMs: number;
  threads?: number;
  gpu: "auto" | false;
  anyModel: boolean;
  evalDir?: string;
};

type PartSummary = {
  byType: Record<string, { total: number; recall: number }>;
  identifierRecall: number;
  nameRecall: number;
  proseCollateral: number;
  proseAskRate: number;
};

const recallOver = (part: PartReport, types: readonly string[]): number => {
  let total = 0;
  let removed = 0;
  for (const type of types) {
    const t = part.pii.byType[type];
    if (!t) continue;
    total += t.total;
    removed += t.removed;
  }
  return total === 0 ? 1 : removed / total;
};

function summarise(part: PartReport): PartSummary {
  const byType: PartSummary["byType"] = {};
  for (const [type, t] of Object.entries(part.pii.byType)) byType[type] = { total: t.total, recall: round(t.recall) };
  return {
    byType,
    identifierRecall: round(recallOver(part, IDENTIFIER_TYPES)),
    nameRecall: round(recallOver(part, NAME_TYPES)),
    proseCollateral: round(part.prose.collateral),
    proseAskRate: round(part.prose.askRate),
  };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function benchRedactLlm(options: BenchOptions) {
  const dir = options.evalDir ?? findEvalSetDir() ?? findEvalSetDir(fileURLToPath(new URL(".", import.meta.url)));
  if (!dir) throw new Error("test/fixtures/redact-eval not found above the working folder");
  const set = loadEvalSet(dir);
  const pick = (rows: EvalRow[]) => {
    const inSplit = rows.filter((r) => r.split === options.split);
    return options.limit === null ? inSplit : inSplit.slice(0, options.limit);
  };
  const pii = pick(set.pii);
  const prose = pick(set.prose);

  const engine = new Engine({ threads: options.threads, gpu: options.gpu });
  try {
    const ref = { id: "bench", path: options.model, name: basename(options.model) };
    await engine.load(ref, 4096);
    const parameters = engine.currentModel?.fileInsights.totalParameters ?? 0;
    const ask = engineAsk({ engine, allowAnyModel: options.anyModel });
    const firstPass = createRedactor();
    const first = new Map<string, RedactionResult>();
    const second = new Map<string, RedactionResult>();
    const statuses: Partial<Record<SecondPassStatus, number>> = {};
    const ms: number[] = [];
    let found = 0;
    let ignored = 0;
    for (const row of [...pii, ...prose]) {
      if (first.has(row.text)) continue;
      first.set(row.text, firstPass.redact(row.text, emptyPlaceholderMap()));
      const pass = await runSecondPass({ texts: [row.text], map: emptyPlaceholderMap(), firstPass, ask, timeoutMs: options.timeoutMs });
      statuses[pass.summary.status] = (statuses[pass.summary.status] ?? 0) + 1;
      ms.push(pass.summary.ms);
      found += pass.summary.found;
      ignored += pass.summary.ignored;
      second.set(row.text, createRedactor({ detectors: pass.detectors }).redact(row.text, emptyPlaceholderMap()));
    }
    // The benchmark's own scoring, fed the results computed above (same text -> same result).
    const replay = (results: Map<string, RedactionResult>) => ({ redact: (text: string) => results.get(text)! });
    const before = summarise(evaluatePart(options.split, pii, prose, replay(first)));
    const after = summarise(evaluatePart(options.split, pii, prose, replay(second)));
    const gain: Record<string, number> = {};
    for (const [type, t] of Object.entries(after.byType)) gain[type] = round(t.recall - (before.byType[type]?.recall ?? 0));
    return {
      model: basename(options.model),
      parameters,
      capable: parameters >= 1e9,
      split: options.split,
      messages: { pii: pii.length, prose: prose.length },
      timeoutMs: options.timeoutMs,
      firstPass: before,
      withSecondPass: after,
      recallGain: {
        byType: gain,
        identifier: round(after.identifierRecall - before.identifierRecall),
        name: round(after.nameRecall - before.nameRecall),
      },
      collateralChange: round(after.proseCollateral - before.proseCollateral),
      secondPass: {
        statuses,
        found,
        ignored,
        meanMs: Math.round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length)),
        p95Ms: Math.round(percentile(ms, 0.95)),
      },
      ...(parameters < 1e9 ? { note: "A model under 1B parameters: the figures say nothing about quality, only that the path runs." } : {}),
    };
  } finally {
    await engine.dispose();
  }
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      split: { type: "string", default: "heldout" },
      limit: { type: "string" },
      "timeout-ms": { type: "string", default: "20000" },
      threads: { type: "string" },
      cpu: { type: "boolean", default: false },
      "any-model": { type: "boolean", default: false },
      "eval-dir": { type: "string" },
    },
  });
  if (!values.model) throw new Error("--model PATH is required (a GGUF file)");
  if (values.split !== "heldout" && values.split !== "dev") throw new Error("--split is heldout or dev");
  const int = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return {
    model: values.model,
    split: values.split,
    limit: int(values.limit, "limit") ?? null,
    timeoutMs: int(values["timeout-ms"], "timeout-ms")!,
    threads: int(values.threads, "threads"),
    gpu: values.cpu ? false : "auto",
    anyModel: values["any-model"],
    evalDir: values["eval-dir"],
  };
}

async function main(): Promise<void> {
  try {
    const report = await benchRedactLlm(parseBenchArgs(process.argv.slice(2)));
    console.log(JSON.stringify(report, null, 2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
