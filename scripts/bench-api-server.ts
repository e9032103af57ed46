import fs from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { ModelInfo } from "../electron/contract/index.js";
import { createCore } from "../electron/core/core.js";
import { createStderrLogger } from "../electron/core/logger.js";
import { round2 } from "./bench-stats.js";
import { defaultBenchModelPath } from "./make-bench-model.js";

/**
 * Throughput of the local OpenAI-compatible server: 1 and then 4 clients streaming chat completions at once over
 * loopback HTTP, through the real core (API gate, engine, context builder). Per request: time to the first content
 * chunk (TTFT) and tokens/s from its usage chunk; per round: total tokens over the round's wall time.
 *
 * Usage: npm run -s bench:api -- [--model PATH] [--threads N] [--rounds N] [--output-tokens N] [--json]
 */

export type ConcurrencyFigures = {
  clients: number;
  requests: number;
  /** All clients' output tokens over the rounds' wall time. */
  totalTokensPerSecond: number;
  /** Median over requests of a request's own output tokens over its own duration. */
  perClientTokensPerSecond: number;
  ttftMsP50: number;
  ttftMsP95: number;
  outputTokens: number;
};

export type ApiBenchReport = {
  model: { path: string; name: string };
  threads: number;
  outputTokens: number;
  rounds: number;
  concurrency: ConcurrencyFigures[];
  /** 4 clients' total tokens/s over 1 client's: what sharing the one engine slot costs or gains. */
  totalRatio4to1: number;
  durationMs: number;
};

export type ApiBenchOptions = { modelPath: string; threads: number; rounds: number; outputTokens: number; progress?: (message: string) => void };

const KEY = "bench-key-0123456789abcdef";

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One streamed completion, read as server-sent events: TTFT, duration and output tokens from the usage chunk. */
async function streamOnce(baseURL: string, model: string, prompt: string, maxTokens: number) {
  const started = performance.now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: prompt }],
      max_tokens: maxTokens,
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  let firstTokenAt: number | null = null;
  let outputTokens = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.replace(/^data: /, "");
      if (data === "[DONE]") continue;
      const chunk = JSON.parse(data) as { choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number } };
      if (chunk.choices[0]?.delta.content) firstTokenAt ??= performance.now();
      if (chunk.usage) outputTokens = chunk.usage.completion_tokens;
    }
  }
  const ended = performance.now();
  return { ttftMs: (firstTokenAt ?? ended) - started, durationMs: ended - started, outputTokens };
}

export async function runApiServerBench(options: ApiBenchOptions): Promise<ApiBenchReport> {
  const benchStarted = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-api-"));
  const core = await createCore({
    dataDir,
    shell: "browser",
    threads: options.threads,
    logger: createStderrLogger("error"),
    policyFile: null,
    apiServer: { port: 0, key: KEY },
  });
  try {
    const imported = await core.call("importModel", { path: options.modelPath });
    if (!imported.ok) throw new Error(`importModel failed: ${imported.error.message}`);
    const model = imported.value as ModelInfo;
    const baseURL = core.apiServer.state().url!;
    // Loads the model (and warms it) outside the measured rounds.
    await streamOnce(baseURL, model.id, "Warm up.", 4);
    const concurrency: ConcurrencyFigures[] = [];
    for (const clients of [1, 4]) {
      const ttfts: number[] = [];
      const rates: number[] = [];
      let tokens = 0;
      let wallMs = 0;
      for (let round = 0; round < options.rounds; round++) {
        options.progress?.(`${clients} client(s), round ${round + 1}/${options.rounds}`);
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: clients }, (_, i) => streamOnce(baseURL, model.id, `Story ${round}-${i}: once upon a time`, options.outputTokens)),
        );
        wallMs += performance.now() - started;
        for (const result of results) {
          ttfts.push(result.ttftMs);
          tokens += result.outputTokens;
          if (result.durationMs > 0) rates.push((result.outputTokens * 1000) / result.durationMs);
        }
      }
      concurrency.push({
        clients,
        requests: ttfts.length,
        totalTokensPerSecond: round2((tokens * 1000) / wallMs),
        perClientTokensPerSecond: round2(percentile(rates, 50)),
        ttftMsP50: round2(percentile(ttfts, 50)),
        ttftMsP95: round2(percentile(ttfts, 95)),
        outputTokens: tokens,
      });
    }
    return {
      model: { path: options.modelPath, name: model.name },
      threads: options.threads,
      outputTokens: options.outputTokens,
      rounds: options.rounds,
      concurrency,
      totalRatio4to1: round2(concurrency[1]!.totalTokensPerSecond / concurrency[0]!.totalTokensPerSecond),
      durationMs: round2(performance.now() - benchStarted),
    };
  } finally {
    await core.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function formatApiBench(report: ApiBenchReport): string {
  const lines = [`Local API server (${report.model.name}, ${report.threads} thread(s), ${report.outputTokens} tokens a request):`];
  for (const c of report.concurrency) {
    lines.push(
      `  ${c.clients} client(s): ${c.totalTokensPerSecond} tok/s total, ${c.perClientTokensPerSecond} tok/s per client, TTFT p50 ${c.ttftMsP50} ms, p95 ${c.ttftMsP95} ms (${c.requests} requests)`,
    );
  }
  lines.push(`  4 clients / 1 client total throughput: ${report.totalRatio4to1}`);
  return lines.join("\n");
}

/** The shared bench model when it was made, else the tiny test model. */
export function defaultApiBenchModel(): string {
  const bench = defaultBenchModelPath("q4_0");
  if (fs.existsSync(bench)) return bench;
  return path.resolve(path.dirname(bench), "../../shared/models/stories260K.gguf");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      threads: { type: "string", default: "1" },
      rounds: { type: "string", default: "3" },
      "output-tokens": { type: "string", default: "64" },
      json: { type: "boolean", default: false },
    },
  });
  const report = await runApiServerBench({
    modelPath: path.resolve(values.model ?? defaultApiBenchModel()),
    threads: Number(values.threads),
    rounds: Number(values.rounds),
    outputTokens: Number(values["output-tokens"]),
    progress: (message) => process.stderr.write(`[bench:api] ${message}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatApiBench(report)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:api failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
