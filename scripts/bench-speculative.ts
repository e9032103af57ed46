import path from "node:path";
import { pathToFileURL } from "node:url";
import { getLlama, LlamaCompletion, LlamaLogLevel, type LlamaContext, type LlamaContextSequence, type LlamaModel } from "node-llama-cpp";
import {
  createTokenPredictor,
  openDraftSequence,
  parseSpeculativeOption,
  predictionStats,
  type PredictionStats,
  type SpeculativeOption,
} from "../electron/core/engine/speculative.js";
import { foreignCpuShare, markCpu, median, round2 } from "./bench-stats.js";

/**
 * Speculative decoding on a rewrite task with a real model: the model writes a story, then is asked to write it
 * again with the story in its prompt (a task that copies from the prompt). Each repetition runs every mode back to
 * back (order rotated, so machine drift hits all), at temperature 0, and checks the outputs are identical.
 *
 * Usage: npm run -s bench:speculative -- [--model PATH] [--draft PATH | --no-draft] [--threads N] [--reps N]
 *        [--tokens N] [--lookup '{"predictMax":1}'] [--json]
 * Without --draft, the draft mode runs the model as its own draft: a mechanism check (every guess should be
 * accepted), not a speed figure, since a draft as large as the target can only cost time. It says so in the output.
 */

export type SpeculativeBenchOptions = {
  model: string;
  /** A smaller model of the same family; null: the model drafts for itself (mechanism check); false: no draft run. */
  draft: string | null | false;
  threads: number;
  reps: number;
  /** Tokens of the story, and at most as many for its rewrite. */
  tokens: number;
  /** Prompt lookup's settings (SpeculativeOption without the mode); node-llama-cpp's defaults when absent. */
  lookup?: Record<string, unknown>;
};

export type ModeRun = { ms: number; decodeMs: number; tokens: number; foreignCpu: number | null; text: string; stats: PredictionStats };

export type ModeReport = {
  option: SpeculativeOption;
  /** Median decode rate (tokens after the first, per second of decoding) and end-to-end rate (prompt included). */
  tokensPerSecond: number | null;
  endToEndTokensPerSecond: number | null;
  /** Against "off" in the same repetitions: the median of the per-repetition ratios. */
  speedup: number | null;
  /** Sums over the repetitions (node-llama-cpp's sequence.tokenPredictions). */
  validated: number;
  refuted: number;
  used: number;
  unused: number;
  acceptance: number | null;
  /** Every repetition's text equals "off"'s. */
  outputsMatch: boolean;
  runs: Array<Omit<ModeRun, "text" | "stats"> & PredictionStats>;
  note?: string;
};

export type SpeculativeBenchReport = {
  model: string;
  threads: number;
  reps: number;
  task: { promptTokens: number; storyTokens: number; maxTokens: number; temperature: 0; copiedChars: number; storyChars: number };
  modes: { off: ModeReport; promptLookup: ModeReport; draft: ModeReport | { skipped: string } };
  /** Whether prompt lookup should be on by default, from these figures. */
  verdict: string;
};

const STORY_START = "Once upon a time";

export async function runSpeculativeBench(options: SpeculativeBenchOptions): Promise<SpeculativeBenchReport> {
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: options.model });
  const contextSize = Math.min(model.trainContextSize, 2048);
  const context = await model.createContext({ contextSize, threads: options.threads, sequences: 1 });
  let draft: Awaited<ReturnType<typeof openDraftSequence>> | null = null;
  try {
    const story = STORY_START + (await complete(context, STORY_START, { mode: "off" }, options.tokens)).text;
    // stories260K has no chat template: the request is written into the text, and the rewrite starts as the story did.
    const prompt = `${story}\n\nThe same story, told again:\n\n${STORY_START}`;
    const promptTokens = model.tokenize(prompt).length;
    const storyTokens = model.tokenize(story).length;
    const lookup = parseSpeculativeOption({ ...options.lookup, mode: "prompt-lookup" });
    const draftOption = options.draft === false ? null : parseSpeculativeOption({
            mode: "draft",
            modelPath: options.draft ?? options.model,
            // A model drafting for itself is the mechanism check: draft every token, whatever its probability.
            ...(options.draft === null ? { minConfidence: 0 } : {}),
          });
    if (draftOption?.mode === "draft") {
      draft = await openDraftSequence(llama, model, draftOption.modelPath, { contextSize, threads: options.threads });
    }

    const modes: Array<{ key: "off" | "promptLookup" | "draft"; option: SpeculativeOption }> = [
      { key: "off", option: { mode: "off" } },
      { key: "promptLookup", option: lookup },
      ...(draftOption ? [{ key: "draft" as const, option: draftOption }] : []),
    ];
    const runs = new Map<string, ModeRun[]>(modes.map((m) => [m.key, []]));
    for (let rep = 0; rep < options.reps; rep++) {
      // Rotate the order so that a slower stretch of the machine does not always land on the same mode.
      const order = modes.map((_, i) => modes[(i + rep) % modes.length]!);
      for (const mode of order) {
        runs.get(mode.key)!.push(await complete(context, prompt, mode.option, options.tokens, draft?.sequence));
      }
    }
    const off = runs.get("off")!;
    const offReport = report({ mode: "off" }, off, off);
    const lookupReport = report(lookup, runs.get("promptLookup")!, off);
    const draftReport = draftOption
      ? {
          ...report(draftOption, runs.get("draft")!, off),
          ...(options.draft === null
            ? { note: "No same-family smaller model available: the model drafted for itself. A mechanism check (acceptance), not a speed figure." }
            : {}),
        }
      : { skipped: "--no-draft" };
    const copied = commonPrefix(off[0]?.text ?? "", story.slice(STORY_START.length));
    return {
      model: path.basename(options.model),
      threads: options.threads,
      reps: options.reps,
      task: { promptTokens, storyTokens, maxTokens: options.tokens, temperature: 0, copiedChars: copied, storyChars: story.length - STORY_START.length },
      modes: { off: offReport, promptLookup: lookupReport, draft: draftReport },
      verdict:
        lookupReport.speedup !== null && lookupReport.speedup > 1.05 && lookupReport.outputsMatch
          ? `prompt lookup measured ${lookupReport.speedup}x faster: it may be offered on by default for copy tasks`
          : `prompt lookup measured ${lookupReport.speedup ?? "n/a"}x: it stays off by default`,
    };
  } finally {
    await draft?.dispose();
    await context.dispose();
    await model.dispose();
  }
}

/** One completion on a fresh sequence (the predictor belongs to it), timed from the call and from the first token. */
export async function complete(
  context: LlamaContext,
  prompt: string,
  option: SpeculativeOption,
  maxTokens: number,
  draftSequence?: LlamaContextSequence,
): Promise<ModeRun> {
  const tokenPredictor = createTokenPredictor(option, draftSequence ? { draftSequence } : {});
  const sequence = context.getSequence(tokenPredictor ? { tokenPredictor } : {});
  const completion = new LlamaCompletion({ contextSequence: sequence });
  try {
    let tokens = 0;
    let firstAt: number | null = null;
    const cpu = markCpu();
    const started = performance.now();
    const text = await completion.generateCompletion(prompt, {
      maxTokens,
      temperature: 0,
      // Greedy and nothing else: a repeat penalty punishes exactly what a rewrite must do (repeat the story).
      repeatPenalty: false,
      onToken: (chunk) => {
        firstAt ??= performance.now();
        tokens += chunk.length;
      },
    });
    const ended = performance.now();
    return {
      ms: round2(ended - started),
      decodeMs: round2(ended - (firstAt ?? ended)),
      tokens,
      foreignCpu: foreignCpuShare(cpu, markCpu()),
      text,
      stats: predictionStats(sequence),
    };
  } finally {
    completion.dispose({ disposeSequence: false });
    sequence.dispose();
  }
}

function report(option: SpeculativeOption, runs: ModeRun[], off: ModeRun[]): ModeReport {
  const rate = (r: ModeRun) => (r.tokens > 1 && r.decodeMs > 0 ? ((r.tokens - 1) * 1000) / r.decodeMs : NaN);
  const endToEnd = (r: ModeRun) => (r.ms > 0 ? (r.tokens * 1000) / r.ms : NaN);
  const sum = (key: keyof PredictionStats) => runs.reduce((total, r) => total + (r.stats[key] ?? 0), 0);
  const validated = sum("validated");
  const refuted = sum("refuted");
  const ratios = runs.map((r, i) => rate(r) / rate(off[i]!));
  const r2 = (n: number | null) => (n === null ? null : round2(n));
  return {
    option,
    tokensPerSecond: r2(median(runs.map(rate))),
    endToEndTokensPerSecond: r2(median(runs.map(endToEnd))),
    speedup: option.mode === "off" ? 1 : r2(median(ratios)),
    validated,
    refuted,
    used: sum("used"),
    unused: sum("unused"),
    acceptance: validated + refuted === 0 ? null : round2(validated / (validated + refuted)),
    outputsMatch: runs.every((r, i) => r.text === off[i]!.text),
    runs: runs.map(({ text: _text, stats, ...rest }) => ({ ...rest, ...stats })),
  };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function parseArgs(argv: string[]): SpeculativeBenchOptions & { json: boolean } {
  const options: SpeculativeBenchOptions & { json: boolean } = {
    model: path.resolve("../shared/models/stories260K.gguf"),
    draft: null,
    threads: 1,
    reps: 5,
    tokens: 200,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const int = (min: number) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${arg} must be an integer of at least ${min}`);
      return n;
    };
    if (arg === "--model") options.model = path.resolve(value());
    else if (arg === "--draft") options.draft = path.resolve(value());
    else if (arg === "--no-draft") options.draft = false;
    else if (arg === "--threads") options.threads = int(1);
    else if (arg === "--reps") options.reps = int(1);
    else if (arg === "--tokens") options.tokens = int(2);
    else if (arg === "--lookup") options.lookup = JSON.parse(value()) as Record<string, unknown>;
    else if (arg === "--json") options.json = true;
    else throw new Error(`Unknown option ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { json, ...options } = parseArgs(process.argv.slice(2));
  const result = await runSpeculativeBench(options);
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const line = (name: string, m: ModeReport | { skipped: string }) =>
    "skipped" in m
      ? `${name}: skipped (${m.skipped})`
      : `${name}: ${m.tokensPerSecond} tok/s decode, speed-up ${m.speedup}x, validated ${m.validated}, refuted ${m.refuted}, ` +
        `acceptance ${m.acceptance ?? "n/a"}, outputs match: ${m.outputsMatch}${m.note ? ` (${m.note})` : ""}`;
  console.log(`${result.model}, ${result.threads} thread(s), ${result.reps} repetitions, ${result.task.promptTokens}-token prompt`);
  console.log(line("off", result.modes.off));
  console.log(line("prompt lookup", result.modes.promptLookup));
  console.log(line("draft", result.modes.draft));
  console.log(result.verdict);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
