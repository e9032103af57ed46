import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getLlama, LlamaLogLevel, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import type { MessageStats, MethodInput, MethodName, MethodOutput } from "../electron/contract/index.js";
import { createCore, type CoreInternals } from "../electron/core/core.js";
import { llamaOptions } from "../electron/core/engine/llama-options.js";
import { createStderrLogger } from "../electron/core/logger.js";
import {
  decodeRate,
  fmt,
  foreignCpuShare,
  formatReport,
  markCpu,
  parseBenchArgs,
  round2,
  summarizeRuns,
  type BenchOptions,
  type BenchReport,
  type Repetition,
  type TurnFigures,
} from "./bench-stats.js";
import { defaultBenchModelPath, findRepoRoot, makeBenchModel } from "./make-bench-model.js";
import { formatEngineHostReport, runEngineHostBench } from "./bench-engine-host.js";
import { formatApiBench, runApiServerBench } from "./bench-api-server.js";
import { formatWarmSwitch, runWarmSwitch, type WarmSwitchReport } from "./bench-warm-switch.js";
import { runSpeculativeBench, type SpeculativeBenchReport } from "./bench-speculative.js";

/**
 * Speed of the app's chat path (core.call("sendMessage") -> engine -> events) against a plain node-llama-cpp loop
 * on the same model, same threads, same sampling and the same token counts. Each repetition runs the app, then the
 * plain loop, back to back, so drift in machine load hits both; figures are medians over the repetitions that other
 * processes left alone.
 *
 * Usage: npm run -s bench -- [--model PATH] [--threads N] [--json] [--reps N] [--prompt-tokens N]
 *        [--output-tokens N] [--context N] [--temperature T] [--max-seconds S]
 * (-s keeps npm's own banner off stdout, so that with --json stdout is exactly one JSON object.)
 */

const WORDS = (
  "the a river stone lamp quiet morning garden letter window bread winter market north slowly under across " +
  "bright old village road small music paper fire evening harbor bridge cloud orchard lantern candle kettle"
).split(" ");

/** Deterministic prose of about `tokens` tokens, different for each repetition so no turn reuses another's cache. */
export function promptText(model: LlamaModel, tokens: number, repetition: number): string {
  let seed = 7919 * (repetition + 1);
  const words: string[] = [`Story ${repetition + 1}:`];
  while (model.tokenize(words.join(" ")).length < tokens) {
    for (let i = 0; i < 16; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      words.push(WORDS[seed % WORDS.length]!);
    }
  }
  while (words.length > 1 && model.tokenize(words.join(" ")).length > tokens) words.pop();
  return words.join(" ");
}

async function callOk<M extends MethodName>(core: CoreInternals, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** Sends one message through the contract and waits for its message-finish event. */
async function sendAndWait(
  core: CoreInternals,
  conversationId: string,
  text: string,
  timeoutMs = 240_000,
): Promise<{ stats: MessageStats; wallMs: number; firstDeltaMs: number | null }> {
  const started = performance.now();
  let firstDeltaMs: number | null = null;
  let unsubscribe = () => {};
  const finished = new Promise<{ stats: MessageStats; wallMs: number; firstDeltaMs: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer within ${timeoutMs / 1000} s.`)), timeoutMs);
    unsubscribe = core.subscribe("chat", (event) => {
      if (event.conversationId !== conversationId) return;
      switch (event.type) {
        case "message-start":
        case "attempt-started":
        case "message-added":
        case "reasoning-delta":
          break;
        case "text-delta":
          firstDeltaMs ??= performance.now() - started;
          break;
        case "escalation-proposed":
        case "escalation-resolved":
        case "branch-changed":
          break; // the bench conversation is Local only, and only ever appends
        case "message-finish":
          clearTimeout(timer);
          if (event.status !== "complete" || !event.stats) {
            reject(new Error(`The answer ended with status ${event.status}: ${event.error?.message ?? "no stats"}`));
          } else {
            resolve({ stats: event.stats, wallMs: performance.now() - started, firstDeltaMs });
          }
          break;
        default:
          event satisfies never;
      }
    });
  });
  try {
    await callOk(core, "sendMessage", { conversationId, text });
    return await finished;
  } finally {
    unsubscribe();
  }
}

function appFigures(stats: MessageStats, foreignCpu: number | null): TurnFigures {
  const ttftMs = stats.timeToFirstTokenMs ?? Number.NaN;
  return {
    foreignCpu,
    ttftMs,
    evaluatedInputTokens: stats.evaluatedInputTokens,
    outputTokens: stats.outputTokens,
    prefillTokensPerSecond: ttftMs > 0 ? (stats.evaluatedInputTokens * 1000) / ttftMs : null,
    decodeTokensPerSecond: stats.tokensPerSecond,
  };
}

type PlainSampling = { temperature: number };

/**
 * One turn of the plain loop: evaluate exactly `input` (prefill), then sample `outputTokens` tokens, with the
 * repeat penalty LlamaChat applies by default (the last 64 generated tokens, newlines spared).
 */
async function plainTurn(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  input: Token[],
  outputTokens: number,
  sampling: PlainSampling,
): Promise<{ figures: TurnFigures; lastToken: Token | null }> {
  const generated: Token[] = [];
  const newline = model.tokens.nl;
  const cpuBefore = markCpu();
  const started = performance.now();
  let firstAt = 0;
  let lastAt = 0;
  for await (const token of sequence.evaluate(input, {
    temperature: sampling.temperature,
    repeatPenalty: { punishTokens: () => generated.slice(-64).filter((t) => t !== newline), maxPunishTokens: 64 },
  })) {
    lastAt = performance.now();
    if (generated.length === 0) firstAt = lastAt;
    generated.push(token);
    if (generated.length >= outputTokens) break;
  }
  const ttftMs = firstAt - started;
  const foreignCpu = foreignCpuShare(cpuBefore, markCpu());
  return {
    lastToken: generated.at(-1) ?? null,
    figures: {
      foreignCpu,
      ttftMs,
      evaluatedInputTokens: input.length,
      outputTokens: generated.length,
      prefillTokensPerSecond: ttftMs > 0 ? (input.length * 1000) / ttftMs : null,
      decodeTokensPerSecond: decodeRate(generated.length, lastAt - firstAt),
    },
  };
}

/** `count` tokens of `text` (repeated if short), so the plain loop evaluates as many tokens as the app did. */
function tokensOf(model: LlamaModel, text: string, count: number): Token[] {
  const base = model.tokenize(text);
  if (base.length === 0) throw new Error("The prompt tokenized to nothing.");
  const out: Token[] = [];
  while (out.length < count) out.push(...base.slice(0, count - out.length));
  return out;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export async function runBench(options: BenchOptions): Promise<BenchReport & { warmSwitch: WarmSwitchReport }> {
  const runStarted = performance.now();
  const loadAverageBefore = os.loadavg();
  let modelPath = options.model ? path.resolve(options.model) : defaultBenchModelPath("q4_0");
  if (!options.model) {
    progress(`making (or reusing) ${modelPath}`);
    modelPath = (await makeBenchModel({ outPath: modelPath })).path;
  }
  const modelBytes = (await stat(modelPath)).size;

  // Plain node-llama-cpp: its own Llama, model and context, the way a minimal script would do it.
  const llama = await getLlama(llamaOptions({ gpu: false, logLevel: LlamaLogLevel.error }));
  const threads = options.threads ?? Math.max(1, llama.cpuMathCores);
  progress(`model ${modelPath} (${(modelBytes / 1024 ** 2).toFixed(0)} MiB), ${threads} threads`);
  const plainLoadStarted = performance.now();
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: options.contextSize, sequences: 1, threads });
  const plainLoadMs = performance.now() - plainLoadStarted;
  const sequence = context.getSequence();
  const sampling = { temperature: options.temperature };

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-"));
  const core = await createCore({ dataDir, shell: "browser", threads, logger: createStderrLogger("warn") });
  try {
    const imported = await callOk(core, "importModel", { path: modelPath });
    const settings = {
      maxOutputTokens: options.outputTokens,
      temperature: options.temperature,
      contextSize: options.contextSize,
    };
    const newConversation = async () => {
      const conversation = await callOk(core, "createConversation", { modelId: imported.id });
      await callOk(core, "updateConversationSettings", { conversationId: conversation.id, settings });
      return conversation.id;
    };

    // The core loads the model lazily on the first send; a one-token warm-up times that load.
    progress("app: loading the model with a warm-up message");
    const warmup = await newConversation();
    await callOk(core, "updateConversationSettings", { conversationId: warmup, settings: { maxOutputTokens: 1 } });
    const warm = await sendAndWait(core, warmup, "Hello");
    const appLoadMs = warm.stats.loadMs ?? warm.wallMs - (warm.stats.timeToFirstTokenMs ?? 0);
    const appGpu = (await core.engine.describe()).gpu;
    // The plain loop gets the same first-touch warm-up of its weights.
    await plainTurn(model, sequence, model.tokenize("Hello"), 1, sampling);
    await sequence.clearHistory();

    const followUp = "Please continue the story with the lantern and the harbor.";
    const runApp = async (prompt: string): Promise<Repetition["app"]> => {
      const conversationId = await newConversation();
      const mark0 = markCpu();
      const t1 = await sendAndWait(core, conversationId, prompt);
      const mark1 = markCpu();
      const t2 = await sendAndWait(core, conversationId, followUp);
      const mark2 = markCpu();
      return {
        turn1: appFigures(t1.stats, foreignCpuShare(mark0, mark1)),
        turn2: appFigures(t2.stats, foreignCpuShare(mark1, mark2)),
        firstDeltaMs: t1.firstDeltaMs,
      };
    };
    // The plain loop evaluates and generates as many tokens as the app did.
    const runPlain = async (prompt: string, like: Repetition["app"]): Promise<Repetition["plain"]> => {
      await sequence.clearHistory();
      const p1 = await plainTurn(model, sequence, tokensOf(model, prompt, like.turn1.evaluatedInputTokens), like.turn1.outputTokens, sampling);
      // The last sampled token is not in the cache yet; the follow-up evaluates it first, as a chat turn would.
      const carried = p1.lastToken != null ? [p1.lastToken] : [];
      const followTokens = tokensOf(model, followUp, Math.max(1, like.turn2.evaluatedInputTokens - carried.length));
      const p2 = await plainTurn(model, sequence, [...carried, ...followTokens], like.turn2.outputTokens, sampling);
      return { turn1: p1.figures, turn2: p2.figures };
    };

    const runs: Repetition[] = [];
    const budgetEnds = performance.now() + options.maxSeconds * 1000;
    for (let rep = 0; rep < options.repetitions; rep++) {
      if (rep >= Math.min(3, options.repetitions) && performance.now() > budgetEnds) {
        progress(`stopping after ${rep} repetitions: the ${options.maxSeconds} s budget is spent`);
        break;
      }
      const prompt = promptText(model, options.promptTokens, rep);
      // App first, then the plain loop sized by what the app evaluated and generated in this very repetition (a
      // follow-up's count varies with how much of the random answer the chat layer re-evaluates). Alternating the
      // order was tried and showed no order effect, only mismatched token counts.
      const app = await runApp(prompt);
      const plain = await runPlain(prompt, app);
      runs.push({ app, plain });
      progress(
        `rep ${rep + 1}/${options.repetitions}: prefill app ${fmt(app.turn1.prefillTokensPerSecond)} / plain ` +
          `${fmt(plain.turn1.prefillTokensPerSecond)} tok/s, decode app ${fmt(app.turn1.decodeTokensPerSecond)} / plain ` +
          `${fmt(plain.turn1.decodeTokensPerSecond)} tok/s; others' CPU share app ${fmt(app.turn1.foreignCpu, 2)} / ` +
          `plain ${fmt(plain.turn1.foreignCpu, 2)}`,
      );
    }

    const summary = summarizeRuns(runs);
    // Warm switching between two conversations, on engines of their own: one sequence (before the pool) and the pool.
    const warmSwitch = await runWarmSwitch({
      modelPath,
      threads,
      promptTokens: options.promptTokens,
      outputTokens: options.outputTokens,
      contextSize: options.contextSize,
      temperature: options.temperature,
      repetitions: Math.min(3, runs.length),
      promptText,
      progress,
    });
    return {
      model: { path: modelPath, bytes: modelBytes },
      machine: {
        cpus: os.availableParallelism(),
        threads,
        appGpu,
        plainGpu: llama.gpu === false ? "cpu" : llama.gpu,
        loadAverageBefore: loadAverageBefore.map(round2),
        loadAverageAfter: os.loadavg().map(round2),
        foreignCpuMax: summary.foreignCpuMax,
      },
      settings: {
        repetitions: options.repetitions,
        repetitionsRun: runs.length,
        maxSeconds: options.maxSeconds,
        promptTokens: options.promptTokens,
        outputTokens: options.outputTokens,
        contextSize: options.contextSize,
        temperature: options.temperature,
      },
      basis: summary.basis,
      app: { loadMs: round2(appLoadMs), ...summary.app },
      plain: { loadMs: round2(plainLoadMs), ...summary.plain },
      ratios: summary.ratios,
      warmSwitch,
      runs,
      durationMs: round2(performance.now() - runStarted),
    };
  } finally {
    await core.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function speculativeEntry(repetitions: number, threads: number): Promise<SpeculativeBenchReport | { skipped: string }> {
  const model = path.resolve(findRepoRoot(), "../shared/models/stories260K.gguf");
  try {
    await stat(model);
  } catch {
    return { skipped: `no ${model}` };
  }
  return runSpeculativeBench({ model, draft: null, threads, reps: Math.min(5, repetitions), tokens: 200 });
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  // With --json, stdout carries exactly one JSON object: anything else that would print there goes to stderr.
  if (options.json) console.log = console.info = (...args: unknown[]) => console.error(...args);
  const report = await runBench(options);
  // The engine host's process boundary against the engine in-process, on the same model (bench-engine-host.ts).
  const engineHost = await runEngineHostBench({
    model: report.model.path,
    threads: report.machine.threads,
    repetitions: Math.min(5, options.repetitions),
    promptWords: options.promptTokens,
    outputTokens: options.outputTokens,
    contextSize: options.contextSize,
    progress,
  });
  if (!options.json) process.stdout.write(`${formatEngineHostReport(engineHost)}\n`);
  // The local API server with 1 and 4 concurrent streaming clients, on the same model (bench-api-server.ts).
  const apiServer = await runApiServerBench({
    modelPath: report.model.path,
    threads: report.machine.threads,
    rounds: Math.min(3, options.repetitions),
    outputTokens: options.outputTokens,
    progress,
  });
  if (!options.json) process.stdout.write(`${formatApiBench(apiServer)}\n`);
  // Speculative decoding needs a model that writes real text (a rewrite of its own story): stories260K from
  // ../shared/models, the bench model's random weights copy nothing (bench-speculative.ts).
  const speculative = await speculativeEntry(options.repetitions, report.machine.threads);
  if (!options.json) process.stdout.write(`speculative decoding: ${"skipped" in speculative ? `skipped (${speculative.skipped})` : speculative.verdict}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ ...report, engineHost, apiServer, speculative })}\n`);
  else process.stdout.write(`${formatReport(report)}\n${formatWarmSwitch(report.warmSwitch)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
