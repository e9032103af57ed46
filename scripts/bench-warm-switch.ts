import type { LlamaModel } from "node-llama-cpp";
import { Engine, type GenerateRequest, type GenerateResult } from "../electron/core/engine/engine.js";
import { fmt, median, round2 } from "./bench-stats.js";

/**
 * Warm switching between two conversations: A turn 1, B turn 1, then A turn 2. With one sequence (the engine before
 * the pool) B's turn clears A's cache and A's turn 2 evaluates its whole prompt again; with the pool, A's cache is
 * still there and turn 2 evaluates only the new tokens, like a turn 2 with no switch in between (the warm figure,
 * measured on a third conversation W: W turn 1, W turn 2).
 */
export type TurnTwo = { ttftMs: number | null; evaluatedInputTokens: number | null };
export type WarmSwitchFigures = {
  sequences: number;
  /** Medians of A's turn 2 after B's turn. */
  switchBack: TurnTwo;
  /** Medians of W's turn 2 right after W's turn 1. */
  warm: TurnTwo;
  /** switchBack TTFT / warm TTFT (1 = switching back costs nothing). */
  ttftRatio: number | null;
};
export type WarmSwitchReport = { repetitions: number; before: WarmSwitchFigures; after: WarmSwitchFigures };

export type WarmSwitchOptions = {
  modelPath: string;
  threads: number;
  promptTokens: number;
  outputTokens: number;
  contextSize: number;
  temperature: number;
  repetitions: number;
  /** Deterministic prose of about `tokens` tokens, different per seed (bench.ts's promptText). */
  promptText: (model: LlamaModel, tokens: number, seed: number) => string;
  progress?: (message: string) => void;
};

const FOLLOW_UP = "Please continue the story with the lantern and the harbor.";

export async function runWarmSwitch(options: WarmSwitchOptions): Promise<WarmSwitchReport> {
  const before = await measure(options, 1);
  const after = await measure(options, undefined);
  return { repetitions: options.repetitions, before, after };
}

async function measure(options: WarmSwitchOptions, maxSequences: number | undefined): Promise<WarmSwitchFigures> {
  const engine = new Engine({ threads: options.threads, ...(maxSequences ? { maxSequences } : {}) });
  const model = { id: "bench", path: options.modelPath, name: "bench model" };
  const ask = (conversationId: string, turns: { role: "user" | "assistant"; content: string }[], maxOutputTokens = options.outputTokens): Promise<GenerateResult> => {
    const request: GenerateRequest = {
      model,
      conversationId,
      contextSize: options.contextSize,
      prompt: {
        systemPrompt: "You are a helpful assistant.",
        branch: turns.map((t, i) => ({ id: `${conversationId}-${i}`, role: t.role, content: t.content, reasoning: "", status: "complete" })),
      },
      temperature: options.temperature,
      maxOutputTokens,
      signal: new AbortController().signal,
      onTextDelta: () => {},
      onReasoningDelta: () => {},
    };
    return engine.generate(request);
  };
  /** Turn 1, then (when asked) turn 2 of one conversation. */
  const turnOne = async (id: string, text: string) => ({ text, answer: await ask(id, [{ role: "user", content: text }]) });
  const turnTwo = (id: string, first: { text: string; answer: GenerateResult }) =>
    ask(id, [
      { role: "user", content: first.text },
      { role: "assistant", content: first.answer.text },
      { role: "user", content: FOLLOW_UP },
    ]);
  try {
    await ask("warm-up", [{ role: "user", content: "Hello" }], 1);
    const llamaModel = engine.currentModel!;
    const switched: GenerateResult[] = [];
    const warm: GenerateResult[] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const seed = 1000 + rep * 3;
      const a1 = await turnOne(`a${rep}`, options.promptText(llamaModel, options.promptTokens, seed));
      await turnOne(`b${rep}`, options.promptText(llamaModel, options.promptTokens, seed + 1));
      switched.push(await turnTwo(`a${rep}`, a1));
      const w1 = await turnOne(`w${rep}`, options.promptText(llamaModel, options.promptTokens, seed + 2));
      warm.push(await turnTwo(`w${rep}`, w1));
      options.progress?.(
        `warm switch, ${engine.loadedInfo()?.sequences} sequence(s), rep ${rep + 1}/${options.repetitions}: A turn 2 after B ` +
          `${fmt(switched.at(-1)!.stats.timeToFirstTokenMs, 0)} ms (${switched.at(-1)!.stats.evaluatedInputTokens} tokens evaluated), ` +
          `warm turn 2 ${fmt(warm.at(-1)!.stats.timeToFirstTokenMs, 0)} ms (${warm.at(-1)!.stats.evaluatedInputTokens} tokens)`,
      );
    }
    const figures = (results: GenerateResult[]): TurnTwo => {
      const ttft = median(results.flatMap((r) => (r.stats.timeToFirstTokenMs == null ? [] : [r.stats.timeToFirstTokenMs])));
      return { ttftMs: ttft == null ? null : round2(ttft), evaluatedInputTokens: median(results.map((r) => r.stats.evaluatedInputTokens)) };
    };
    const s = figures(switched);
    const w = figures(warm);
    return {
      sequences: engine.loadedInfo()?.sequences ?? 1,
      switchBack: s,
      warm: w,
      ttftRatio: s.ttftMs != null && w.ttftMs ? round2(s.ttftMs / w.ttftMs) : null,
    };
  } finally {
    await engine.dispose();
  }
}

export function formatWarmSwitch(report: WarmSwitchReport): string {
  const line = (label: string, f: WarmSwitchFigures) =>
    `  ${label.padEnd(30)}A turn 2 after B ${fmt(f.switchBack.ttftMs, 0)} ms (${fmt(f.switchBack.evaluatedInputTokens, 0)} tokens), ` +
    `warm ${fmt(f.warm.ttftMs, 0)} ms (${fmt(f.warm.evaluatedInputTokens, 0)} tokens): x${fmt(f.ttftRatio, 2)}`;
  return [
    `  warm switch (TTFT of turn 2 after another conversation's turn; medians of ${report.repetitions})`,
    line(`before: ${report.before.sequences} sequence`, report.before),
    line(`after: ${report.after.sequences} sequences`, report.after),
  ].join("\n");
}
