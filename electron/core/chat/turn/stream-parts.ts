import type { FinishReason, MessageStats, SerializedAppError } from "../../../contract/index.js";

/** Why a generator stopped: the model ended ("stop"), hit the output limit ("length"), or was aborted. */
export type { FinishReason };

/**
 * The one stream both generators (local engine, cloud provider) yield, named noun-verb like the AI SDK's parts.
 * A stream ends with exactly one `finish` or one `error`; anything after that is ignored.
 */
export type StreamPart =
  | { type: "text-delta"; text: string }
  | { type: "reasoning-delta"; text: string }
  | { type: "usage"; inputTokens: number | null; outputTokens: number | null }
  | {
      type: "finish";
      reason: FinishReason;
      stats: MessageStats | null;
      /** Local only, when asked for: the model's probability of each output token (the cascade judges them). */
      confidences?: number[];
    }
  | { type: "error"; error: SerializedAppError };

/** A generator: one answer as a stream of parts; the signal ends it early (it then finishes with "abort"). */
export type Generator<Request> = (request: Request, signal: AbortSignal) => AsyncIterable<StreamPart>;
