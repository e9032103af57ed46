import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { hasLabels, qualities, readJsonl, routedItems, type LabelledRow } from "./training/router/dataset.js";
import { extractFeatures, type PromptFeatures } from "../electron/core/router/features.js";
import { apgrRouteLLM, routingMetrics, type RoutingMetrics } from "./training/router/metrics.js";
import type { ModelFile } from "../electron/core/router/model.js";
import { defaultModelPath, loadRouter, type EscalationLevel } from "../electron/core/router/router.js";
import { describeSettings, nestedCrossValidation, type NestedResult, type SelectedSettings } from "./training/router/selection.js";
import { DEFAULT_TRAIN, fitModel, trainRouter, type TrainOptions } from "./training/router/train.js";

/**
 * Honest quality of the router's recipe (nested cross-validation), the shipped model's settings, and its speed.
 *
 * Outer loop: group k-fold (8 folds by default): MMLU by whole subjects, GSM8K by item; MT-Bench is never trained
 * on. Inside each outer fold, every setting (feature groups, n-gram kind, L2 strengths, blend of the heads; the
 * word-problem L2 and blend) is chosen by an inner group k-fold over the outer-training rows only, then the model
 * with those settings is fitted on the outer-training rows and scores the outer fold: subjects that neither the
 * model nor any choice made for it ever saw. Those outer scores are the NESTED (honest) figures: APGR pooled over
 * all outer folds, and per outer fold (mean, worst, spread). MT-Bench is scored by each outer model in turn.
 * The shipped model's settings are chosen by the same inner procedure on all rows (npm run router:train); the
 * bench re-runs it and says whether router-model.json matches.
 *
 * With --splits N the whole nested procedure runs on N different outer splits (split 0 is the default one,
 * the others deal the subjects to folds in seeded orders; --first-split S runs splits S .. S+N-1, so that
 * splits can run as separate processes): per-fold APGR over ~5 whole subjects is noisy, and
 * N x outer-folds folds give a steadier mean and an honest worst fold. Each MMLU fold is also scored by a
 * subject-level oracle (every item scored by its own subject's true mean gain in that fold): the ceiling of a
 * router that knows only which subject is harder, for reading the per-fold figures.
 *
 * Usage: npm run -s bench:router -- [--data FILE] [--json] [--outer-folds N] [--inner-folds N] [--splits N] [--first-split S]
 *        [--choice-candidates I,J,...] (an experiment: only those multiple-choice candidates of the default grid)
 *        [--no-latency] [--no-shipped]
 */

export const DEFAULT_DATA = path.resolve("../shared/data/router/dev.jsonl");
const ROUTELLM: Record<string, number> = { mmlu: 0.603, gsm8k: 0.622 };
const LEVELS: EscalationLevel[] = ["rarely", "balanced", "often"];
export const MIN_FOLD_GAP = 0.05;

export type BenchArgs = { data: string; json: boolean; latency: boolean; shipped: boolean; outerFolds: number; splits: number; firstSplit: number; choiceCandidates?: number | null; train: TrainOptions };

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { data: DEFAULT_DATA, json: false, latency: true, shipped: true, outerFolds: 8, splits: 1, firstSplit: 0, train: { ...DEFAULT_TRAIN, grid: { ...DEFAULT_TRAIN.grid } } };
  const whole = (flag: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} needs a whole number from ${min} to ${max}`);
    return n;
  };
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
      case "--no-shipped": args.shipped = false; break;
      case "--outer-folds": args.outerFolds = whole(flag, next(), 2, 20); break;
      case "--inner-folds": args.train.grid.innerFolds = whole(flag, next(), 2, 10); break;
      case "--splits": args.splits = whole(flag, next(), 1, 10); break;
      case "--first-split": args.firstSplit = whole(flag, next(), 0, 100); break;
      case "--choice-candidates": {
        // An experiment's smaller multiple-choice grid: indices into the default grid's candidates.
        const all = args.train.grid.choice;
        const picked = next().split(",").map((v) => all[whole(flag, v, 0, all.length - 1)]!);
        args.train.grid = { ...args.train.grid, choice: picked };
        args.choiceCandidates = picked.length === all.length ? null : picked.length;
        break;
      }
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

export type SourceReport = RoutingMetrics & {
  source: string;
  /** RouteLLM's 10-bin APGR of the same pooled scores. */
  apgrRouteLLM: number;
  /** APGR of each outer fold's rows (MT-Bench: of all its rows, by each outer fold's model). */
  foldApgr: number[];
  /** Each outer fold's quality gap (mean strong - mean weak quality, judge scores scaled to 0..1). */
  foldGap: number[];
  /**
   * Folds whose gap is under MIN_FOLD_GAP: APGR divides by the gap, so there it is noise (one MMLU fold holds a
   * subject where the strong model's recorded answers score below chance); listed, left out of mean / worst / spread.
   */
  illConditioned: number[];
  /** Over the other folds. */
  foldMean: number;
  foldWorst: number;
  foldSpread: number;
  levelShares: Record<EscalationLevel, number> | null;
  /**
   * MMLU only: each fold's APGR when every item is scored by its subject's true mean gain in that fold (labels of
   * the fold itself: a reference ceiling for subject-level knowledge, not a router), and their mean / worst.
   */
  subjectOracle?: { foldApgr: number[]; foldMean: number; foldWorst: number };
};

/** One source's figures over all repeated outer splits. */
export type RepeatedReport = {
  source: string;
  /** Pooled nested APGR of each split. */
  pooledBySplit: number[];
  /** Every fold of every split, split after split; ill-conditioned ones listed by position in this array. */
  foldApgr: number[];
  illConditioned: number[];
  foldMean: number;
  foldWorst: number;
  foldSpread: number;
  subjectOracle?: { foldMean: number; foldWorst: number };
};

export type BenchReport = {
  evaluation: string;
  outerFolds: number;
  innerFolds: number;
  /** Nested (honest) figures per source. */
  sources: SourceReport[];
  /** Settings the inner procedure chose in each outer fold, and the inner APGR of each candidate there. */
  foldSettings: string[];
  foldInnerApgr: SelectedSettings["innerApgr"][];
  /** Outer splits run (assignFolds' seeds firstSplit .. firstSplit + splits - 1); 0 is the default split. */
  firstSplit: number;
  /** With --splits N > 1: figures over all N outer splits (the single-split figures above are the first one's). */
  repeated: { splits: number; sources: RepeatedReport[] } | null;
  /** Settings chosen by the same procedure on all rows, and whether router-model.json is exactly that model. */
  shipped: { settings: string; innerApgr: SelectedSettings["innerApgr"]; matches: boolean | null } | null;
  latencyMs: { p50: number; p99: number; n: number } | null;
  seconds: number;
};

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function readShipped(): ModelFile | null {
  try {
    return JSON.parse(fs.readFileSync(defaultModelPath(), "utf8")) as ModelFile;
  } catch {
    return null;
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Each source's nested figures from one outer split's scores. */
function sourceReports(rows: readonly LabelledRow[], nested: NestedResult, outerFolds: number, file: ModelFile | null): SourceReport[] {
  const sources = [...new Set(rows.map((r) => r.source))];
  const apgrOf = (idx: readonly number[], scores: (i: number) => number) => routingMetrics(routedItems(idx.map((i) => rows[i]!), idx.map(scores))).apgr;
  const untrained = rows.map((_, i) => i).filter((i) => nested.folds[i] === -1);
  return sources.map((source) => {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]!.source === source);
    const trained = idx.every((i) => nested.folds[i] !== -1);
    let foldApgr: number[];
    let foldGap: number[];
    let pooled: number[];
    let oracle: number[] | null = null;
    if (trained) {
      pooled = idx.map((i) => nested.scores[i]!);
      foldApgr = [];
      foldGap = [];
      oracle = source === "mmlu" ? [] : null;
      for (let f = 0; f < outerFolds; f++) {
        const fIdx = idx.filter((i) => nested.folds[i] === f);
        if (!fIdx.length) continue;
        const m = routingMetrics(routedItems(fIdx.map((i) => rows[i]!), fIdx.map((i) => nested.scores[i]!)));
        foldApgr.push(m.apgr);
        foldGap.push((m.strongQuality - m.weakQuality) / (rows[fIdx[0]!]!.weak_score === undefined ? 1 : 9));
        if (oracle) {
          const gains = new Map<string, number[]>();
          for (const i of fIdx) {
            const { weak, strong } = qualities(rows[i]!);
            const key = rows[i]!.category ?? "";
            gains.set(key, [...(gains.get(key) ?? []), strong - weak]);
          }
          oracle.push(apgrOf(fIdx, (i) => mean(gains.get(rows[i]!.category ?? "")!)));
        }
      }
    } else {
      // Never trained on: each outer model scores all of it; the pooled figure uses the mean score.
      const pos = new Map(untrained.map((i, k) => [i, k]));
      foldApgr = nested.untrainedScores.map((s) => apgrOf(idx, (i) => s[pos.get(i)!]!));
      const m = routingMetrics(routedItems(idx.map((i) => rows[i]!), idx.map(() => 0)));
      foldGap = foldApgr.map(() => (m.strongQuality - m.weakQuality) / (rows[idx[0]!]!.weak_score === undefined ? 1 : 9));
      pooled = idx.map((i) => nested.untrainedScores.reduce((a, s) => a + s[pos.get(i)!]!, 0) / nested.untrainedScores.length);
    }
    const items = routedItems(idx.map((i) => rows[i]!), pooled);
    const illConditioned = foldGap.map((g, f) => (g < MIN_FOLD_GAP ? f : -1)).filter((f) => f >= 0);
    const kept = (xs: readonly number[]) => xs.filter((a, f) => Number.isFinite(a) && !illConditioned.includes(f));
    const finite = kept(foldApgr);
    const levelShares = file
      ? (Object.fromEntries(LEVELS.map((l) => [l, pooled.filter((s) => s >= file.thresholds[l]).length / pooled.length])) as Record<EscalationLevel, number>)
      : null;
    return {
      source,
      ...routingMetrics(items),
      apgrRouteLLM: apgrRouteLLM(items),
      foldApgr,
      foldGap: foldGap.map((g) => Number(g.toFixed(4))),
      illConditioned,
      foldMean: mean(finite),
      foldWorst: Math.min(...finite),
      foldSpread: Math.max(...finite) - Math.min(...finite),
      levelShares,
      ...(oracle ? { subjectOracle: { foldApgr: oracle, foldMean: mean(kept(oracle)), foldWorst: Math.min(...kept(oracle)) } } : {}),
    };
  });
}

/** One source's figures over every fold of every split. */
export function repeatedReport(perSplit: readonly SourceReport[]): RepeatedReport {
  const foldApgr = perSplit.flatMap((r) => r.foldApgr);
  let offset = 0;
  const illConditioned: number[] = [];
  for (const r of perSplit) {
    illConditioned.push(...r.illConditioned.map((f) => f + offset));
    offset += r.foldApgr.length;
  }
  const finite = foldApgr.filter((a, f) => Number.isFinite(a) && !illConditioned.includes(f));
  const oracle = perSplit.every((r) => r.subjectOracle) ? perSplit.flatMap((r) => r.subjectOracle!.foldApgr).filter((a, f) => Number.isFinite(a) && !illConditioned.includes(f)) : null;
  return {
    source: perSplit[0]!.source,
    pooledBySplit: perSplit.map((r) => r.apgr),
    foldApgr,
    illConditioned,
    foldMean: mean(finite),
    foldWorst: Math.min(...finite),
    foldSpread: Math.max(...finite) - Math.min(...finite),
    ...(oracle ? { subjectOracle: { foldMean: mean(oracle), foldWorst: Math.min(...oracle) } } : {}),
  };
}

export function runBench(args: BenchArgs, log: (line: string) => void = () => {}): BenchReport {
  const t0 = Date.now();
  const rows = readJsonl(args.data).filter(hasLabels);
  const features: PromptFeatures[] = rows.map((r) => extractFeatures(r.prompt, undefined, { hashBits: args.train.hashBits }));
  const file = readShipped();
  const splits: { nested: NestedResult; report: SourceReport[] }[] = [];
  for (let seed = args.firstSplit; seed < args.firstSplit + args.splits; seed++) {
    const nested = nestedCrossValidation(rows, features, args.outerFolds, args.train.grid, (idx, s, heldOut) => fitModel(rows, features, idx, args.train, s, heldOut), undefined, log, seed);
    splits.push({ nested, report: sourceReports(rows, nested, args.outerFolds, file) });
  }
  const { nested, report } = splits[0]!;
  const repeated =
    args.splits > 1 ? { splits: args.splits, sources: report.map((s) => repeatedReport(splits.map((sp) => sp.report.find((r) => r.source === s.source)!))) } : null;

  let shipped: BenchReport["shipped"] = null;
  if (args.shipped) {
    const trainedAll = trainRouter(rows, features, args.train);
    // Weights and calibrations (the pair files hold both) and the thresholds on the calibrated scale.
    const weights = (m: Partial<ModelFile>) => JSON.stringify([m.heads, m.choiceHeads, m.choiceHeadsAlso ?? [], m.wordProblemHeads ?? null, m.thresholds]);
    shipped = {
      settings: describeSettings(trainedAll.settings),
      innerApgr: trainedAll.settings.innerApgr,
      matches: file ? weights(file) === weights(trainedAll.file) : null,
    };
  }
  return {
    evaluation:
      `NESTED cross-validation (honest): ${args.outerFolds} outer group folds (MMLU by whole subjects, GSM8K by item; MT-Bench never trained on, scored by each outer model); ` +
      `every setting chosen by a ${args.train.grid.innerFolds}-fold inner group CV on the outer-training rows only. The shipped model's settings come from the same inner procedure on all rows. ` +
      `Fold mean / worst / spread leave out folds whose strong-weak quality gap is under ${MIN_FOLD_GAP} (APGR divides by the gap).` +
      (args.choiceCandidates ? ` EXPERIMENT: only ${args.choiceCandidates} of the default grid's multiple-choice candidates (--choice-candidates), not the shipped recipe.` : "") +
      (args.firstSplit ? ` Outer split ${args.firstSplit} (seeded), not the default split 0.` : "") +
      (args.splits > 1 ? ` Repeated over ${args.splits} outer splits (the first is the single-split figure).` : ""),
    outerFolds: args.outerFolds,
    innerFolds: args.train.grid.innerFolds,
    firstSplit: args.firstSplit,
    sources: report,
    foldSettings: nested.settings.map(describeSettings),
    foldInnerApgr: nested.settings.map((s) => s.innerApgr),
    repeated,
    shipped,
    latencyMs: args.latency ? measureLatency(rows) : null,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
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
  lines.push(report.evaluation);
  lines.push("");
  lines.push("source     n      APGR   (RouteLLM 10-bin)  RouteLLM best  CPT(50%)  CPT(80%)  outer folds: mean  worst  spread   per fold");
  for (const s of report.sources) {
    lines.push(
      `${s.source.padEnd(9)} ${String(s.n).padStart(5)}   ${s.apgr.toFixed(3)}   (${s.apgrRouteLLM.toFixed(3)})            ${
        ROUTELLM[s.source]?.toFixed(3) ?? "  -  "
      }          ${pct(s.cpt50)}    ${pct(s.cpt80)}                ${s.foldMean.toFixed(3)}  ${s.foldWorst.toFixed(3)}  ${s.foldSpread.toFixed(3)}    ${s.foldApgr
        .map((a, f) => (s.illConditioned.includes(f) ? `(${a.toFixed(3)})` : a.toFixed(3)))
        .join(" ")}`,
    );
  }
  lines.push(`(in parentheses: folds whose strong-weak gap is under ${MIN_FOLD_GAP}, left out of mean / worst / spread)`);
  for (const s of report.sources) {
    if (s.subjectOracle) {
      lines.push(`${s.source} subject-level oracle (each item scored by its subject's true mean gain in its fold; a ceiling, not a router): fold mean ${s.subjectOracle.foldMean.toFixed(3)}, worst ${s.subjectOracle.foldWorst.toFixed(3)}`);
    }
  }
  if (report.repeated) {
    lines.push("");
    lines.push(`repeated over ${report.repeated.splits} outer splits x ${report.outerFolds} folds:`);
    lines.push("source     pooled APGR per split        folds: mean  worst  spread   (subject oracle: mean  worst)");
    for (const r of report.repeated.sources) {
      lines.push(
        `${r.source.padEnd(9)}  ${r.pooledBySplit.map((a) => a.toFixed(3)).join(" ").padEnd(26)}   ${r.foldMean.toFixed(3)}  ${r.foldWorst.toFixed(3)}  ${r.foldSpread.toFixed(3)}   ${
          r.subjectOracle ? `(${r.subjectOracle.foldMean.toFixed(3)}  ${r.subjectOracle.foldWorst.toFixed(3)})` : ""
        }${r.illConditioned.length ? `  [${r.illConditioned.length} ill-conditioned folds left out]` : ""}`,
      );
    }
  }
  lines.push("");
  lines.push("settings chosen inside each outer fold:");
  report.foldSettings.forEach((s, f) => lines.push(`  fold ${f + 1}: ${s}`));
  if (report.shipped) {
    lines.push("");
    lines.push(`shipped settings (same inner procedure, all rows): ${report.shipped.settings}`);
    lines.push(`shipped router-model.json = these settings on this data: ${report.shipped.matches === null ? "no model file" : report.shipped.matches ? "yes" : "NO (retrain: npm run router:train)"}`);
  }
  if (report.sources.some((s) => s.levelShares)) {
    lines.push("");
    lines.push("strong-call share per escalation level (nested scores, shipped thresholds): " + LEVELS.join(" / "));
    for (const s of report.sources) if (s.levelShares) lines.push(`  ${s.source.padEnd(9)} ${LEVELS.map((l) => pct(s.levelShares![l])).join(" / ")}`);
  }
  if (report.latencyMs) {
    lines.push("");
    lines.push(`decision time (shipped router, ${report.latencyMs.n} prompts): p50 ${report.latencyMs.p50.toFixed(3)} ms, p99 ${report.latencyMs.p99.toFixed(3)} ms`);
  }
  lines.push(`(${report.seconds} s)`);
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = parseArgs(process.argv.slice(2));
  const report = runBench(args, (line) => process.stderr.write(line + "\n"));
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatBench(report) + "\n");
}
