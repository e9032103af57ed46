import { serializeError } from "../../../contract/index.js";
import { streamCloudChat, type CloudChatRequest, type CloudChatResult } from "../../cloud/cloud-chat.js";
import { pushStream } from "./push-stream.js";
import type { FinishReason, Generator, StreamPart } from "./stream-parts.js";
import type { CloudGeneration } from "./turn-ports.js";

/** What a cloud call needs besides the stream callbacks: provider, key, the proposal's payload and body, the egress fetch. */
export type CloudCall = Omit<CloudChatRequest, "signal" | "onTextDelta">;

/** Puts the original values back into streamed text whose placeholders may be split across deltas. */
export type Restorer = { push(chunk: string): string; flush(): string };

/**
 * A cloud provider as a generator of the same stream parts as the local engine: restored text deltas, the usage
 * the provider reported, the finish, or the provider's failure as an error part (the machine then fails over).
 */
export function cloudGenerator(
  callFor: (generation: CloudGeneration) => CloudCall,
  restorerFor: (generation: CloudGeneration) => Restorer = () => ({ push: (chunk) => chunk, flush: () => "" }),
  stream: (request: CloudChatRequest) => Promise<CloudChatResult> = streamCloudChat,
): Generator<CloudGeneration> {
  return (generation, signal) => {
    const parts = pushStream<StreamPart>();
    const text = (chunk: string) => {
      if (chunk) parts.push({ type: "text-delta", text: chunk });
    };
    let restorer: Restorer;
    let call: CloudCall;
    try {
      restorer = restorerFor(generation);
      call = callFor(generation);
    } catch (error) {
      parts.push({ type: "error", error: serializeError(error) });
      parts.end();
      return parts.iterable;
    }
    stream({ ...call, signal, onTextDelta: (delta) => text(restorer.push(delta)) })
      .then(
        (result) => {
          text(restorer.flush());
          parts.push({ type: "usage", inputTokens: result.tokensIn, outputTokens: result.tokensOut });
          parts.push({
            type: "finish",
            reason: finishReason(result.finishReason),
            stats: { timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens: result.tokensOut ?? 0, evaluatedInputTokens: result.tokensIn ?? 0, loadMs: null },
          });
        },
        (error: unknown) => {
          // What arrived before the failure is kept (restored) with the failed attempt.
          text(restorer.flush());
          parts.push({ type: "error", error: serializeError(error) });
        },
      )
      .finally(() => parts.end());
    return parts.iterable;
  };
}

/** The AI SDK's finish reasons, as the turn records them. */
function finishReason(reason: string): FinishReason {
  if (reason === "stop") return "stop";
  if (reason === "length") return "length";
  return "other";
}
