import type { PromptMessage, PromptTokenCounter } from "./prompt-message.js";

/**
 * A prompt counter from a text counter: each message costs its text (and kept reasoning) plus a fixed markup
 * overhead, and the prompt a fixed cost (the opening of the answer, a BOS token). For tests and for a cloud model
 * whose tokenizer is not on this machine; a local model counts with its own template (llama-history.ts).
 */
export function perMessageCounter(
  countText: (text: string) => number,
  overhead: { perMessage: number; perPrompt: number },
): PromptTokenCounter {
  return (messages: readonly PromptMessage[]) =>
    messages.reduce(
      (sum, m) => sum + overhead.perMessage + countText(m.text) + (m.reasoning ? countText(m.reasoning) : 0),
      overhead.perPrompt,
    );
}
