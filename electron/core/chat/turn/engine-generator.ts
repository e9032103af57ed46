import { serializeError } from "../../../contract/index.js";
import type { GenerateRequest, GenerateResult } from "../../engine/engine.js";
import { pushStream } from "./push-stream.js";
import type { FinishReason, Generator, StreamPart } from "./stream-parts.js";
import type { LocalGeneration } from "./turn-ports.js";

/** What the engine needs besides the stream callbacks: the model, the context and the prompt (the context builder's job). */
export type EngineCall = Omit<GenerateRequest, "signal" | "onTextDelta" | "onReasoningDelta" | "collectConfidence" | "onStart">;

/**
 * The local engine as a generator of stream parts: the engine's callbacks become deltas, its result the usage and
 * the finish (with token confidences when the cascade asked), its failure an error part. The engine is unchanged.
 */
export function engineGenerator(
  engine: { generate(request: GenerateRequest): Promise<GenerateResult> },
  callFor: (generation: LocalGeneration) => EngineCall,
): Generator<LocalGeneration> {
  return (generation, signal) => {
    const stream = pushStream<StreamPart>();
    let call: EngineCall;
    try {
      call = callFor(generation);
    } catch (error) {
      stream.push({ type: "error", error: serializeError(error) });
      stream.end();
      return stream.iterable;
    }
    engine
      .generate({
        ...call,
        signal,
        collectConfidence: generation.collectConfidence,
        onTextDelta: (text) => stream.push({ type: "text-delta", text }),
        onReasoningDelta: (text) => stream.push({ type: "reasoning-delta", text }),
      })
      .then(
        (result) => {
          stream.push({ type: "usage", inputTokens: result.stats.evaluatedInputTokens, outputTokens: result.stats.outputTokens });
          stream.push({
            type: "finish",
            reason: finishReason(result.stopReason),
            stats: result.stats,
            ...(result.confidences ? { confidences: result.confidences } : {}),
          });
        },
        (error: unknown) => stream.push({ type: "error", error: serializeError(error) }),
      )
      .finally(() => stream.end());
    return stream.iterable;
  };
}

function finishReason(stopReason: GenerateResult["stopReason"]): FinishReason {
  switch (stopReason) {
    case "abort":
      return "abort";
    case "maxTokens":
      return "length";
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return "stop";
    case "functionCalls":
      return "other";
  }
}
