import type { LlamaContextSequence, Token } from "node-llama-cpp";

/**
 * Something a generation may opt into that watches the tokens as they are written, and adds to the result. The
 * normal path runs none; each is made for one generation on one sequence and stopped when it ends, on every path.
 */
export type GenerationPlugin<R> = {
  onToken(tokens: readonly Token[]): void;
  result(): R;
  stop(): void;
};

/**
 * Token confidences for the cascade: for each output token, the probability the model gave it when it was chosen.
 *
 * Makes this sequence's `evaluate` (the generator LlamaChat samples through) ask for each sampled token's confidence.
 * In node-llama-cpp 3.21 `evaluate` is exactly `evaluateWithMetadata(tokens, {}, options)` minus the metadata, so
 * this changes nothing but one softmax over the sampler's candidates per token, done natively. LlamaChat exposes no
 * hook with probabilities, and scoring the answer again afterwards (controlledEvaluate) would re-decode every
 * token and only report the probability of the token it samples itself, not of the one that was generated.
 *
 * Not every sampled token reaches the answer (end of generation, stop triggers, a token LlamaChat replaces), so
 * confidences are queued by token and taken in order as `onToken` releases tokens: one value per output token.
 * Should a later node-llama-cpp stop sampling through `evaluate`, this yields no values (and the cascade, having
 * too few to judge, keeps the local answer); the integration test's count check would say so.
 *
 * The override is an own property of this one sequence, which the pool lends to one generation at a time: other
 * sequences, generating alongside, are untouched.
 */
export function confidencePlugin(sequence: LlamaContextSequence): GenerationPlugin<{ confidences: number[] }> {
  const pending: { token: Token; confidence: number }[] = [];
  const values: number[] = [];
  const instrumented: LlamaContextSequence["evaluate"] = async function* (tokens, options) {
    const iterator = sequence.evaluateWithMetadata(tokens, { confidence: true }, options);
    let input: void | Token | Token[] = undefined;
    try {
      for (;;) {
        const step = await iterator.next(input);
        if (step.done) return;
        pending.push({ token: step.value.token, confidence: step.value.confidence });
        input = yield step.value.token;
      }
    } finally {
      await iterator.return();
    }
  };
  Object.defineProperty(sequence, "evaluate", { value: instrumented, configurable: true, writable: true });
  return {
    onToken(tokens) {
      for (const token of tokens) {
        const at = pending.findIndex((p) => p.token === token);
        // A token that was never sampled (none is expected) gets no value rather than another token's.
        if (at < 0) continue;
        values.push(pending[at]!.confidence);
        pending.splice(0, at + 1);
      }
    },
    result: () => ({ confidences: values }),
    stop() {
      Reflect.deleteProperty(sequence, "evaluate");
    },
  };
}
