import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { FOLDS, hasLabels, readJsonl, routedItems, type LabelledRow } from "../electron/core/router/dataset.js";
import { extractFeatures, type PromptFeatures } from "../electron/core/router/features.js";
import { apgrRouteLLM, routingMetrics, type RoutingMetrics } from "../electron/core/router/metrics.js";
import type { ModelFile } from "../electron/core/router/model.js";
import { defaultModelPath, loadRouter, type EscalationLevel } from "../electron/core/router/router.js";
import { DEFAULT_TRAIN, trainRouter, type TrainOptions } from "../electron/core/router/train.js";

/**
 * Honest quality of the router's recipe, and the shipped router's speed.
 *
 * Quality: group k-fold (5 folds): MMLU by whole subjects (each fold's subjects are unseen by the model that
 * scores them), GSM8K by rows; every row gets an out-of-fold score, and APGR / CPT(50%) / CPT(80%) are computed
 * per source over those. MT-Bench is never trained on and is scored by the recipe trained on all training rows.
 * Speed: the shipped router (router-model.json) deciding every prompt, one at a time, p50 / p99.
 *
 * With --seeds N the whole cross-validation is repeated over N different splits (seeds 0 .. N-1, each of the
 * same kind) and each source's APGR is also given per split and as their mean: one 5-fold split of 652 GSM8K
 * rows moves APGR by a few hundredths.
 *
 * Usage: npm run -s bench:router -- [--data FILE] [--json] [--seeds N] [--l2 X]
 *        [--l2-dense X] [--l2-word-problem X] [--hash-bits N] [--iterations N] [--gsm8k-weight X] [--no-latency]
 */

export const DEFAULT_DATA = path.resolve("../shared/data/router/dev.jsonl");
const ROUTELLM: Record<string, number> = { mmlu: 0.603, gsm8k: 0.622 };
const LEVELS: EscalationLevel[] = ["rarely", "balanced", "often"];

export type BenchArgs = { data: string; json: boolean; latency: boolean; train: TrainOptions; seeds: number };

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { data: DEFAULT_DATA, json: false, latency: true, train: { ...DEFAULT_TRAIN }, seeds: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--data": args.data = path.resolve(next()); break;
      case "--json": args.json = true; break;
      case "--no-latency": args.latency = false; break;
      case "--seeds": {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error("--seeds needs a whole number from 1 to 20");
        args.seeds = n;
        break;
      }
      case "--l2": args.train.l2Hashed = Number(next()); break;
      case "--l2-dense": args.train.l2Dense = Number(next()); break;
      case "--hash-bits": args.train.hashBits = Number(next()); break;
      case "--iterations": args.train.iterations = Number(next()); break;
      case "--l2-word-problem": args.train.l2WordProblem = Number(next()); break;
      case "--gsm8k-weight": {
        const w = Number(next());
        args.train.sourceWeight = { mmlu: 1, gsm8k: w };
        break;
      }
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

type SourceReport = RoutingMetrics & {
  source: string;
  apgrRouteLLM: number;
  foldApgr: number[];
  /** APGR of each repeated split (seed 0 first; only seed 0 without --seeds). */
  splitApgr: number[];
  levelShares: Record<EscalationLevel, number>;
};

export type BenchReport = {
  sources: SourceReport[];
  latencyMs: { p50: number; p99: number; n: number } | null;
  train: TrainOptions;
  /** Whether the shipped router-model.json is exactly this recipe trained on this data (null: unreadable). */
  shippedMatches: boolean | null;
};

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function runBench(args: BenchArgs): BenchReport {
  const rows = readJsonl(args.data).filter(hasLabels);
  const features: PromptFeatures[] = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: args.train.hashBits }));
  const { file, heldOutScores: scores, folds } = trainRouter(rows, features, args.train);

  const sources = [...new Set(rows.map((r) => r.source))];
  const rowsOf = new Map(sources.map((source) => [source, rows.map((_, i) => i).filter((i) => rows[i]!.source === source)]));
  const apgrOf = (idx: readonly number[], s: readonly number[]) => routingMetrics(routedItems(idx.map((i) => rows[i]!), idx.map((i) => s[i]!))).apgr;
  const report: SourceReport[] = sources.map((source) => {
    const idx = rowsOf.get(source)!;
    const items = routedItems(idx.map((i) => rows[i]!), idx.map((i) => scores[i]!));
    const foldApgr: number[] = [];
    for (let f = 0; f < FOLDS; f++) {
      const fIdx = idx.filter((i) => folds[i] === f);
      if (fIdx.length) foldApgr.push(apgrOf(fIdx, scores));
    }
    const levelShares = Object.fromEntries(
      LEVELS.map((l) => [l, idx.filter((i) => scores[i]! >= file.thresholds[l]).length / idx.length]),
    ) as Record<EscalationLevel, number>;
    const metrics = routingMetrics(items);
    return { source, ...metrics, apgrRouteLLM: apgrRouteLLM(items), foldApgr, splitApgr: [metrics.apgr], levelShares };
  });
  for (let seed = 1; seed < args.seeds; seed++) {
    const { heldOutScores } = trainRouter(rows, features, args.train, seed);
    for (const s of report) s.splitApgr.push(apgrOf(rowsOf.get(s.source)!, heldOutScores));
  }

  let shippedMatches: boolean | null = null;
  try {
    const shipped = JSON.parse(fs.readFileSync(defaultModelPath(), "utf8")) as ModelFile;
    const weights = (m: Partial<ModelFile>) => JSON.stringify([m.heads, m.choiceHeads, m.wordProblemHeads ?? null]);
    shippedMatches = weights(shipped) === weights(file);
  } catch {
    shippedMatches = null;
  }
  return { sources: report, latencyMs: args.latency ? measureLatency(rows) : null, train: args.train, shippedMatches };
}

/** The shipped router deciding each prompt in turn (features, score, threshold and reasons), after a warm-up. */
export function measureLatency(rows: readonly LabelledRow[]): { p50: number; p99: number; n: number } {
  const router = loadRouter();
  for (let i = 0; i < Math.min(200, rows.length); i++) router.decide({ prompt: rows[i]!.prompt }, "balanced");
  const times: number[] = [];
  for (const row of rows) {
    const t0 = performance.now();
    router.decide({ prompt: row.prompt, localModel: { parameters: 3e9 } }, "balanced");
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), n: times.length };
}

const pct = (x: number) => (Number.isNaN(x) ? "  n/a" : `${(x * 100).toFixed(1)}%`.padStart(6));

export function formatBench(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `router recipe: heads strong_right + weak_wrong (general, multiple-choice and word-problem pairs), l2=${report.train.l2Hashed}/${report.train.l2Dense}, word problems ${report.train.l2WordProblem}, hashBits=${report.train.hashBits}`,
  );
  lines.push("held-out: MMLU = whole subjects, 5-fold; GSM8K = rows, 5-fold; MT-Bench = never trained on");
  lines.push("");
  lines.push("source     n      APGR   (RouteLLM 10-bin)  random  RouteLLM best  CPT(50%)  CPT(80%)  APGR per fold");
  for (const s of report.sources) {
    lines.push(
      `${s.source.padEnd(9)} ${String(s.n).padStart(5)}   ${s.apgr.toFixed(3)}   (${s.apgrRouteLLM.toFixed(3)})            0.500   ${
        ROUTELLM[s.source]?.toFixed(3) ?? "  -  "
      }          ${pct(s.cpt50)}    ${pct(s.cpt80)}    ${s.foldApgr.map((a) => a.toFixed(3)).join(" ")}`,
    );
  }
  if (report.sources.some((s) => s.splitApgr.length > 1)) {
    lines.push("");
    lines.push(`APGR over ${report.sources[0]!.splitApgr.length} repeated splits (seed 0 = the split above): mean, per split`);
    for (const s of report.sources) {
      const mean = s.splitApgr.reduce((a, b) => a + b, 0) / s.splitApgr.length;
      lines.push(`  ${s.source.padEnd(9)} ${mean.toFixed(3)}   ${s.splitApgr.map((a) => a.toFixed(3)).join(" ")}`);
    }
  }
  lines.push("");
  lines.push("strong-call share per escalation level (held-out scores, shipped thresholds): " + LEVELS.join(" / "));
  for (const s of report.sources) lines.push(`  ${s.source.padEnd(9)} ${LEVELS.map((l) => pct(s.levelShares[l])).join(" / ")}`);
  lines.push("");
  lines.push(`shipped router-model.json = this recipe on this data: ${report.shippedMatches === null ? "no model file" : report.shippedMatches ? "yes" : "NO (retrain: npm run router:train)"}`);
  if (report.latencyMs) {
    lines.push("");
    lines.push(`decision time (shipped router, ${report.latencyMs.n} prompts): p50 ${report.latencyMs.p50.toFixed(3)} ms, p99 ${report.latencyMs.p99.toFixed(3)} ms`);
  }
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = parseArgs(process.argv.slice(2));
  const report = runBench(args);
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatBench(report) + "\n");
}
