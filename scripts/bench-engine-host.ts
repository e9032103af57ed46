import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { defaultSamplingSettings } from "../electron/contract/index.js";
import { Engine, type GenerateRequest, type ModelRef } from "../electron/core/engine/engine.js";
import { EngineHostClient } from "../electron/core/engine-host/engine-host-client.js";
import type { EnginePort } from "../electron/core/engine-host/engine-port.js";
import { InProcessEngine } from "../electron/core/engine-host/in-process-engine.js";
import { createStderrLogger } from "../electron/core/logger.js";
import { bestRatio, decodeRate, median, pairedRatio, RATIO_TARGET, round2 } from "./bench-stats.js";
import { defaultBenchModelPath, makeBenchModel } from "./make-bench-model.js";

/**
 * The cost of the process boundary: the same generations (model, prompt, seed, token counts) on the engine in this
 * process and on the engine host, in the same run, alternating which goes first. Speeds are what the caller sees:
 * prefill from the call to the first streamed delta, decode from the first delta to the result, so the messages,
 * their batching and their validation are all counted. Medians over the repetitions; the ratios are host/in-process.
 *
 * Usage: node dist-electron/scripts/bench-engine-host.js [--model PATH] [--threads N] [--reps N]
 *        [--prompt-words N] [--output-tokens N] [--context N] [--json]
 */

export type EngineHostBenchOptions = {
  model: string | null;
  threads: number | null;
  repetitions: number;
  /** About this many words of prompt (the report gives the tokens evaluated). */
  promptWords: number;
  outputTokens: number;
  contextSize: number;
  progress?: (message: string) => void;
};

type Run = {
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
  ttftMs: number | null;
  /** The engine's own figures (inside whichever process ran it). */
  engineDecodeTokensPerSecond: number | null;
  evaluatedInputTokens: number;
  outputTokens: number;
  /**
   * Tokens per CPU-second of this process and the host together (Linux): how much work each token costs, which the
   * load other programs put on the machine changes far less than the wall-clock speeds above.
   */
  prefillTokensPerCpuSecond: number | null;
  decodeTokensPerCpuSecond: number | null;
  text: string;
};

export type EngineHostBenchReport = {
  model: { path: string };
  machine: { cpus: number; threads: number | null; gpu: string; loadAverage: number[] };
  settings: { repetitions: number; promptWords: number; outputTokens: number; contextSize: number; temperature: number; seed: number };
  inProcess: { prefillTokensPerSecond: number | null; decodeTokensPerSecond: number | null; ttftMs: number | null };
  host: { prefillTokensPerSecond: number | null; decodeTokensPerSecond: number | null; ttftMs: number | null };
  /** host / in-process: median of the per-repetition ratios (each pair ran back to back), and best against best. */
  ratios: {
    decode: number | null;
    prefill: number | null;
    decodeBest: number | null;
    prefillBest: number | null;
    /** The same, per CPU-second instead of per second (see Run). */
    decodeCpu: number | null;
    prefillCpu: number | null;
    target: number;
  };
  /** Every repetition wrote the same text on both sides (same seed). */
  sameText: boolean;
  runs: { inProcess: Run; host: Run }[];
};

const WORDS = "the a river stone lamp quiet morning garden letter window bread winter market north slowly under across bright old village".split(" ");

/** Deterministic prose, different for each repetition so no generation reuses another's cache. */
function promptText(words: number, repetition: number): string {
  let seed = 7919 * (repetition + 1);
  const out = [`Story ${repetition + 1}:`];
  for (let i = 0; i < words; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(WORDS[seed % WORDS.length]!);
  }
  return out.join(" ");
}

const TEMPERATURE = 0.7;
const SEED = 42;

/** CPU seconds used so far by this process and, when given, the host process (from /proc; null elsewhere). */
function cpuSeconds(hostPid: number | null): number | null {
  const own = process.cpuUsage();
  let total = (own.user + own.system) / 1e6;
  if (hostPid != null) {
    try {
      const stat = fs.readFileSync(`/proc/${hostPid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are the 12th and 13th fields after the command name, in clock ticks (100 a second on Linux).
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return null;
    }
  }
  return total;
}

async function timed(engine: EnginePort, model: ModelRef, options: EngineHostBenchOptions, prompt: string, conversationId: string): Promise<Run> {
  const hostPid = engine instanceof EngineHostClient ? engine.hostPid : null;
  let firstAt: number | null = null;
  let firstCpu: number | null = null;
  let streamed = "";
  const request: GenerateRequest = {
    model,
    // A new conversation each time: the sequence starts empty, so prefill evaluates the whole prompt.
    conversationId,
    contextSize: options.contextSize,
    prompt: { systemPrompt: "You continue stories.", branch: [{ id: "u1", role: "user", content: prompt, reasoning: "", status: "complete" }] },
    temperature: TEMPERATURE,
    sampling: { ...defaultSamplingSettings, seed: SEED },
    maxOutputTokens: options.outputTokens,
    signal: new AbortController().signal,
    onTextDelta: (text) => {
      if (firstAt === null) {
        firstAt = performance.now();
        firstCpu = cpuSeconds(hostPid);
      }
      streamed += text;
    },
    onReasoningDelta: () => {},
  };
  const startCpu = cpuSeconds(hostPid);
  const started = performance.now();
  const result = await engine.generate(request);
  const ended = performance.now();
  const endCpu = cpuSeconds(hostPid);
  const prefillCpu = firstCpu != null && startCpu != null ? firstCpu - startCpu : null;
  const decodeCpu = firstCpu != null && endCpu != null ? endCpu - firstCpu : null;
  const ttftMs = firstAt != null ? firstAt - started : null;
  return {
    ttftMs,
    prefillTokensPerSecond: ttftMs ? (result.stats.evaluatedInputTokens * 1000) / ttftMs : null,
    decodeTokensPerSecond: firstAt != null ? decodeRate(result.stats.outputTokens, ended - firstAt) : null,
    engineDecodeTokensPerSecond: result.stats.tokensPerSecond,
    evaluatedInputTokens: result.stats.evaluatedInputTokens,
    outputTokens: result.stats.outputTokens,
    prefillTokensPerCpuSecond: prefillCpu ? result.stats.evaluatedInputTokens / prefillCpu : null,
    decodeTokensPerCpuSecond: decodeCpu && result.stats.outputTokens > 1 ? (result.stats.outputTokens - 1) / decodeCpu : null,
    text: result.text === streamed ? result.text : `${result.text} (streamed differs)`,
  };
}

export async function runEngineHostBench(options: EngineHostBenchOptions): Promise<EngineHostBenchReport> {
  const progress = options.progress ?? (() => {});
  let modelPath = options.model ? path.resolve(options.model) : defaultBenchModelPath("q4_0");
  if (!options.model) {
    progress(`making (or reusing) ${modelPath}`);
    modelPath = (await makeBenchModel({ outPath: modelPath })).path;
  }
  const model: ModelRef = { id: "bench", path: modelPath, name: path.basename(modelPath) };
  const threads = options.threads ?? undefined;
  const logger = createStderrLogger("warn");
  const inProcess = new InProcessEngine(new Engine({ threads, logger }));
  const host = new EngineHostClient({ threads, logger });
  try {
    // Both load the model and run a warm-up generation first (first touch of the weights, the host's start).
    progress(`model ${modelPath}; warming up both engines`);
    for (const engine of [inProcess, host]) await timed(engine, model, { ...options, outputTokens: 2 }, "Hello there", "warm-up");
    const gpu = (await inProcess.describe()).gpu;
    const runs: EngineHostBenchReport["runs"] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const prompt = promptText(options.promptWords, rep);
      // Alternating who goes first, so drift in the machine's load hits both sides alike.
      const order = rep % 2 === 0 ? (["inProcess", "host"] as const) : (["host", "inProcess"] as const);
      const pair: Partial<EngineHostBenchReport["runs"][number]> = {};
      for (const side of order) pair[side] = await timed(side === "host" ? host : inProcess, model, options, prompt, `rep-${rep}-${side}`);
      const done = pair as EngineHostBenchReport["runs"][number];
      runs.push(done);
      progress(
        `rep ${rep + 1}/${options.repetitions}: prefill in-process ${fmt(done.inProcess.prefillTokensPerSecond)} / host ` +
          `${fmt(done.host.prefillTokensPerSecond)} tok/s, decode in-process ${fmt(done.inProcess.decodeTokensPerSecond)} / host ` +
          `${fmt(done.host.decodeTokensPerSecond)} tok/s`,
      );
    }
    const side = (key: "inProcess" | "host") => ({
      prefillTokensPerSecond: roundOrNull(median(runs.map((r) => r[key].prefillTokensPerSecond ?? Number.NaN))),
      decodeTokensPerSecond: roundOrNull(median(runs.map((r) => r[key].decodeTokensPerSecond ?? Number.NaN))),
      ttftMs: roundOrNull(median(runs.map((r) => r[key].ttftMs ?? Number.NaN))),
    });
    type Field = "prefillTokensPerSecond" | "decodeTokensPerSecond" | "prefillTokensPerCpuSecond" | "decodeTokensPerCpuSecond";
    const of = (key: "inProcess" | "host", field: Field) => runs.map((r) => r[key][field]);
    return {
      model: { path: modelPath },
      machine: { cpus: os.availableParallelism(), threads: options.threads, gpu, loadAverage: os.loadavg().map(round2) },
      settings: {
        repetitions: options.repetitions,
        promptWords: options.promptWords,
        outputTokens: options.outputTokens,
        contextSize: options.contextSize,
        temperature: TEMPERATURE,
        seed: SEED,
      },
      inProcess: side("inProcess"),
      host: side("host"),
      ratios: {
        decode: roundOrNull(pairedRatio(of("host", "decodeTokensPerSecond"), of("inProcess", "decodeTokensPerSecond")), 3),
        prefill: roundOrNull(pairedRatio(of("host", "prefillTokensPerSecond"), of("inProcess", "prefillTokensPerSecond")), 3),
        decodeBest: roundOrNull(bestRatio(of("host", "decodeTokensPerSecond"), of("inProcess", "decodeTokensPerSecond")), 3),
        prefillBest: roundOrNull(bestRatio(of("host", "prefillTokensPerSecond"), of("inProcess", "prefillTokensPerSecond")), 3),
        decodeCpu: roundOrNull(pairedRatio(of("host", "decodeTokensPerCpuSecond"), of("inProcess", "decodeTokensPerCpuSecond")), 3),
        prefillCpu: roundOrNull(pairedRatio(of("host", "prefillTokensPerCpuSecond"), of("inProcess", "prefillTokensPerCpuSecond")), 3),
        target: RATIO_TARGET,
      },
      sameText: runs.every((r) => r.host.text === r.inProcess.text),
      runs,
    };
  } finally {
    await host.dispose();
    await inProcess.dispose();
  }
}

function roundOrNull(value: number | null, digits = 2): number | null {
  if (value == null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function fmt(value: number | null): string {
  return value == null ? "-" : value.toFixed(1);
}

export function parseEngineHostBenchArgs(argv: string[]): EngineHostBenchOptions & { json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      threads: { type: "string" },
      reps: { type: "string", default: "6" },
      "prompt-words": { type: "string", default: "300" },
      "output-tokens": { type: "string", default: "48" },
      context: { type: "string", default: "1024" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}, got "${raw}".`);
    return n;
  };
  return {
    model: values.model ?? null,
    threads: values.threads === undefined ? null : int("threads", values.threads, 1),
    repetitions: int("reps", values.reps, 1),
    // About one token a word in the bench model's (Llama-3) tokenizer; stories260K's splits words into ~4.
    promptWords: int("prompt-words", values["prompt-words"], 8),
    outputTokens: int("output-tokens", values["output-tokens"], 2),
    contextSize: int("context", values.context, 256),
    json: values.json,
  };
}

async function main(): Promise<void> {
  const options = parseEngineHostBenchArgs(process.argv.slice(2));
  if (options.json) console.log = console.info = (...args: unknown[]) => console.error(...args);
  const report = await runEngineHostBench({ ...options, progress: (m) => process.stderr.write(`[bench-engine-host] ${m}\n`) });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(`${formatEngineHostReport(report)}\n`);
}

export function formatEngineHostReport(report: EngineHostBenchReport): string {
  const { inProcess, host, ratios } = report;
  return [
    `Engine host vs in-process (${report.model.path}, ${report.machine.gpu}, ${report.runs.length} repetitions, same text: ${report.sameText})`,
    `  prefill tok/s: in-process ${fmt(inProcess.prefillTokensPerSecond)}, host ${fmt(host.prefillTokensPerSecond)}, ratio ${ratios.prefill} (best ${ratios.prefillBest})`,
    `  decode tok/s:  in-process ${fmt(inProcess.decodeTokensPerSecond)}, host ${fmt(host.decodeTokensPerSecond)}, ratio ${ratios.decode} (best ${ratios.decodeBest})`,
    `  per CPU-second (this process and the host): prefill ratio ${ratios.prefillCpu}, decode ratio ${ratios.decodeCpu}`,
    `  target ≥ ${ratios.target}`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
