import { serializeError, type MessageStats } from "../../../contract/index.js";
import type { ContextUse, GenerateRequest, GenerateResult } from "../../engine/engine.js";
import { finishReasonOf } from "../../engine/finish-reason.js";
import type { EnginePort } from "../../engine-host/engine-port.js";
import { pushStream } from "./push-stream.js";
import type { Generator, StreamPart } from "./stream-parts.js";
import type { LocalGeneration } from "./turn-ports.js";

/** What the engine needs besides the stream callbacks: the model, the context and the prompt (the context builder's job). */
export type EngineCall = Omit<GenerateRequest, "signal" | "onTextDelta" | "onReasoningDelta" | "collectConfidence" | "onStart">;

/**
 * The local engine as a generator of stream parts: the engine's callbacks become deltas, its result the usage and
 * the finish (with token confidences when the cascade asked), its failure an error part. The engine is unchanged.
 */
export function engineGenerator(
  engine: Pick<EnginePort, "generate">,
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
            reason: finishReasonOf(result.stopReason),
            stats: statsWithContext(result.stats, result.context),
            ...(result.confidences ? { confidences: result.confidences } : {}),
          });
        },
        (error: unknown) => stream.push({ type: "error", error: serializeError(error) }),
      )
      .finally(() => stream.end());
    return stream.iterable;
  };
}

/** An answer whose prompt left the oldest messages out keeps what went with its stats: the conversation shows it. */
export function statsWithContext(stats: MessageStats, context: ContextUse | undefined): MessageStats {
  if (!context || context.dropped.count === 0) return stats;
  const { dropped, usedTokens, budgetTokens } = context;
  return { ...stats, context: { droppedCount: dropped.count, firstKeptMessageId: dropped.firstKeptMessageId, usedTokens, budgetTokens } };
}
