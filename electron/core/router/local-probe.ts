/**
 * Measures local-model signals for the router (local-signals.ts) with a loaded node-llama-cpp model: the prompt's
 * mean negative log-likelihood per token, and a one-token self-assessment probe (P("yes") against P("no") after
 * "Can you answer this correctly?"). Uses one context sequence, whose history it clears before each measure.
 *
 * Cost: the prompt (capped at `maxTokens`) is evaluated twice, once with the full next-token distribution per
 * position. That is a prefill, not a generation, but on a large vocabulary it is not free, which is why the router
 * asks for these only when a model file has learned weights for them (none ships today).
 */

import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { LocalSignals } from "./local-signals.js";

export const PROBE_QUESTION = "\n\nCan you answer the question above correctly? Answer yes or no.\nAnswer:";

export async function measureLocalSignals(model: LlamaModel, sequence: LlamaContextSequence, prompt: string, maxTokens = 256): Promise<LocalSignals> {
  const tokens = model.tokenize(prompt).slice(0, maxTokens);
  const signals: LocalSignals = {};
  if (tokens.length >= 2) {
    await sequence.clearHistory();
    const input = tokens.map((t, i) => (i < tokens.length - 1 ? ([t, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }]) : t));
    const out = await sequence.controlledEvaluate(input);
    let nll = 0;
    let n = 0;
    for (let i = 0; i < tokens.length - 1; i++) {
      const p = out[i]?.next.probabilities?.get(tokens[i + 1]!);
      nll += -Math.log(Math.max(p ?? 0, 1e-9));
      n++;
    }
    signals.promptNll = n ? nll / n : undefined;
  }
  const yes = model.tokenize(" yes")[0];
  const no = model.tokenize(" no")[0];
  const probe = [...tokens, ...model.tokenize(PROBE_QUESTION)];
  if (yes !== undefined && no !== undefined && probe.length) {
    await sequence.clearHistory();
    const last = probe.length - 1;
    const out = await sequence.controlledEvaluate(probe.map((t, i) => (i === last ? ([t, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }]) : t)));
    const probs = out[last]?.next.probabilities;
    const py = probs?.get(yes) ?? 0;
    const pn = probs?.get(no) ?? 0;
    if (py + pn > 0) signals.selfAssessment = py / (py + pn);
  }
  await sequence.clearHistory();
  return signals;
}
