import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

/** The bench's arguments, arithmetic and report: pure, so they are tested without running a model. */

export type BenchOptions = {
  model: string | null;
  threads: number | null;
  json: boolean;
  repetitions: number;
  promptTokens: number;
  outputTokens: number;
  contextSize: number;
  temperature: number;
  /** No new repetition starts after this (once 3 have run), so a busy machine cannot stretch a run for long. */
  maxSeconds: number;
};

export const RATIO_TARGET = 0.98;
/** Above this share of the CPU taken by other processes during a turn, its figures are treated as noise. */
export const QUIET_FOREIGN_CPU = 0.1;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean", default: false },
      reps: { type: "string", default: "8" },
      "max-seconds": { type: "string", default: "240" },
      "prompt-tokens": { type: "string", default: "500" },
      "output-tokens": { type: "string", default: "32" },
      context: { type: "string", default: "2048" },
      temperature: { type: "string", default: "0.7" },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}, got "${raw}".`);
    return n;
  };
  const options: BenchOptions = {
    model: values.model ?? null,
    threads: values.threads === undefined ? null : int("threads", values.threads, 1),
    json: values.json,
    repetitions: int("reps", values.reps, 1),
    promptTokens: int("prompt-tokens", values["prompt-tokens"], 16),
    outputTokens: int("output-tokens", values["output-tokens"], 2),
    contextSize: int("context", values.context, 256),
    temperature: Number(values.temperature),
    maxSeconds: int("max-seconds", values["max-seconds"], 1),
  };
  if (!(options.temperature >= 0 && options.temperature <= 2)) throw new Error("--temperature must be between 0 and 2.");
  // Room for the prompt, two answers, a follow-up and the chat template around them.
  if (options.promptTokens + 2 * options.outputTokens + 128 > options.contextSize) {
    throw new Error(`--context ${options.contextSize} is too small for the prompt and answers; raise it.`);
  }
  return options;
}

export type TurnFigures = {
  ttftMs: number;
  evaluatedInputTokens: number;
  outputTokens: number;
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
  /** Share of the machine's CPU that other processes used during the turn (Linux only). */
  foreignCpu: number | null;
};

export type Repetition = {
  app: { turn1: TurnFigures; turn2: TurnFigures; firstDeltaMs: number | null };
  plain: { turn1: TurnFigures; turn2: TurnFigures };
};

export function median(values: readonly number[]): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of the per-repetition app/plain ratios: each pair ran back to back, so slow drift cancels out. */
export function pairedRatio(app: readonly (number | null)[], plain: readonly (number | null)[]): number | null {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(app.length, plain.length); i++) {
    const a = app[i];
    const p = plain[i];
    if (a != null && p != null && p > 0) ratios.push(a / p);
  }
  return median(ratios);
}

function best(values: readonly (number | null)[]): number | null {
  const finite = values.filter(isNumber);
  return finite.length > 0 ? Math.max(...finite) : null;
}

/** Best against best: interference from other processes only ever slows a run down. */
export function bestRatio(app: readonly (number | null)[], plain: readonly (number | null)[]): number | null {
  const a = best(app);
  const p = best(plain);
  return a != null && p != null && p > 0 ? a / p : null;
}

/** Tokens after the first, over the time after the first; the same formula the engine's stats use. */
export function decodeRate(tokens: number, msAfterFirst: number): number | null {
  return tokens > 1 && msAfterFirst > 0 ? ((tokens - 1) * 1000) / msAfterFirst : null;
}

export type CpuMark = { at: number; ownMicros: number; system: { busy: number; total: number } | null };

function readSystemCpu(): CpuMark["system"] {
  try {
    const fields = readFileSync("/proc/stat", "latin1").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

export function markCpu(): CpuMark {
  const own = process.cpuUsage();
  return { at: performance.now(), ownMicros: own.user + own.system, system: readSystemCpu() };
}

/** What the whole machine was busy with between two marks, less what this process used: other people's load. */
export function foreignCpuShare(from: CpuMark, to: CpuMark, cpus = os.availableParallelism()): number | null {
  if (!from.system || !to.system) return null;
  const total = to.system.total - from.system.total;
  const wallSeconds = (to.at - from.at) / 1000;
  if (total <= 0 || wallSeconds <= 0) return null;
  const machineBusy = (to.system.busy - from.system.busy) / total;
  const ownBusy = (to.ownMicros - from.ownMicros) / 1e6 / (wallSeconds * cpus);
  return round2(Math.min(1, Math.max(0, machineBusy - ownBusy)));
}

function isQuiet(rep: Repetition): boolean {
  return [rep.app.turn1, rep.app.turn2, rep.plain.turn1, rep.plain.turn2].every(
    (t) => t.foreignCpu == null || t.foreignCpu <= QUIET_FOREIGN_CPU,
  );
}

/**
 * Medians and ratios over the repetitions during which no other process took a noticeable share of the CPU, or
 * over all of them (and says so) when there was none.
 */
export function summarizeRuns(runs: readonly Repetition[]) {
  const quiet = runs.filter(isQuiet);
  const used = quiet.length > 0 ? quiet : runs;
  const pick = (side: "app" | "plain", turn: "turn1" | "turn2", key: keyof TurnFigures) =>
    used.map((r) => r[side][turn][key]);
  const summarize = (side: "app" | "plain") => ({
    ttftTurn1Ms: median(pick(side, "turn1", "ttftMs").filter(isNumber)),
    ttftTurn2Ms: median(pick(side, "turn2", "ttftMs").filter(isNumber)),
    prefillTokensPerSecond: median(pick(side, "turn1", "prefillTokensPerSecond").filter(isNumber)),
    decodeTokensPerSecond: median(pick(side, "turn1", "decodeTokensPerSecond").filter(isNumber)),
    decodeTokensPerSecondTurn2: median(pick(side, "turn2", "decodeTokensPerSecond").filter(isNumber)),
    bestPrefillTokensPerSecond: best(runs.map((r) => r[side].turn1.prefillTokensPerSecond)),
    bestDecodeTokensPerSecond: best(runs.map((r) => r[side].turn1.decodeTokensPerSecond)),
    evaluatedInputTokensTurn1: median(pick(side, "turn1", "evaluatedInputTokens").filter(isNumber)),
    evaluatedInputTokensTurn2: median(pick(side, "turn2", "evaluatedInputTokens").filter(isNumber)),
    outputTokens: median(pick(side, "turn1", "outputTokens").filter(isNumber)),
  });
  const rates = (key: "prefillTokensPerSecond" | "decodeTokensPerSecond") =>
    [pick("app", "turn1", key), pick("plain", "turn1", key)] as const;
  const allRates = (key: "prefillTokensPerSecond" | "decodeTokensPerSecond") =>
    [runs.map((r) => r.app.turn1[key]), runs.map((r) => r.plain.turn1[key])] as const;
  const prefill = pairedRatio(...rates("prefillTokensPerSecond"));
  const decode = pairedRatio(...rates("decodeTokensPerSecond"));
  const foreign = runs.flatMap((r) => [r.app.turn1, r.app.turn2, r.plain.turn1, r.plain.turn2].map((t) => t.foreignCpu));
  return {
    basis: {
      repetitions: used.length,
      quiet: quiet.length > 0,
      description:
        quiet.length > 0
          ? `${quiet.length} of ${runs.length} repetitions with the machine otherwise idle`
          : `all ${runs.length} repetitions; other processes were using the CPU in every one, so the figures are noisy`,
    },
    foreignCpuMax: foreign.some(isNumber) ? Math.max(...foreign.filter(isNumber)) : null,
    app: { firstDeltaTurn1Ms: median(used.map((r) => r.app.firstDeltaMs).filter(isNumber)), ...summarize("app") },
    plain: summarize("plain"),
    ratios: {
      prefill,
      decode,
      prefillBest: bestRatio(...allRates("prefillTokensPerSecond")),
      decodeBest: bestRatio(...allRates("decodeTokensPerSecond")),
      target: RATIO_TARGET,
      meetsTarget: prefill != null && decode != null && prefill >= RATIO_TARGET && decode >= RATIO_TARGET,
    },
  };
}

export type RunSummary = ReturnType<typeof summarizeRuns>;

export type BenchReport = {
  model: { path: string; bytes: number };
  machine: {
    cpus: number;
    threads: number;
    appGpu: string;
    plainGpu: string;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    foreignCpuMax: number | null;
  };
  settings: Omit<BenchOptions, "model" | "threads" | "json"> & { repetitionsRun: number };
  basis: RunSummary["basis"];
  app: RunSummary["app"] & { loadMs: number };
  plain: RunSummary["plain"] & { loadMs: number };
  ratios: RunSummary["ratios"];
  runs: Repetition[];
  durationMs: number;
};

export function isNumber(value: number | null): value is number {
  return value != null && Number.isFinite(value);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function fmt(n: number | null | undefined, digits = 1): string {
  return n == null ? "n/a" : n.toFixed(digits);
}

export function formatReport(report: BenchReport): string {
  const { app, plain, ratios } = report;
  const row = (label: string, a: number | null, p: number | null, unit: string, digits = 1) =>
    `  ${label.padEnd(30)}${`${fmt(a, digits)} ${unit}`.padStart(14)}${`${fmt(p, digits)} ${unit}`.padStart(14)}`;
  const foreign = report.machine.foreignCpuMax;
  return [
    `Hearth bench: ${path.basename(report.model.path)} (${(report.model.bytes / 1024 ** 2).toFixed(0)} MiB), ` +
      `${report.machine.threads} threads, CPU`,
    `  medians over ${report.basis.description}`,
    `  ${"".padEnd(30)}${"app".padStart(14)}${"plain".padStart(14)}`,
    row("load", app.loadMs, plain.loadMs, "ms", 0),
    row(`prefill (${app.evaluatedInputTokensTurn1} tokens)`, app.prefillTokensPerSecond, plain.prefillTokensPerSecond, "tok/s"),
    row(`decode (${app.outputTokens} tokens)`, app.decodeTokensPerSecond, plain.decodeTokensPerSecond, "tok/s"),
    row("TTFT turn 1", app.ttftTurn1Ms, plain.ttftTurn1Ms, "ms", 0),
    row(`TTFT turn 2 (${app.evaluatedInputTokensTurn2} new tokens)`, app.ttftTurn2Ms, plain.ttftTurn2Ms, "ms", 0),
    row("best prefill of all reps", app.bestPrefillTokensPerSecond, plain.bestPrefillTokensPerSecond, "tok/s"),
    row("best decode of all reps", app.bestDecodeTokensPerSecond, plain.bestDecodeTokensPerSecond, "tok/s"),
    `  app/plain, paired medians: prefill ${fmt(ratios.prefill, 3)}, decode ${fmt(ratios.decode, 3)} ` +
      `(target >= ${ratios.target}): ${ratios.meetsTarget ? "ok" : "BELOW TARGET"}`,
    `  app/plain, best vs best:   prefill ${fmt(ratios.prefillBest, 3)}, decode ${fmt(ratios.decodeBest, 3)}`,
    `  other processes took up to ${foreign == null ? "n/a" : `${Math.round(foreign * 100)}%`} of the CPU during a turn; ` +
      `took ${(report.durationMs / 1000).toFixed(0)} s`,
  ].join("\n");
}
