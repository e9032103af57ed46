import type { Message } from "./schemas.js";

/**
 * Whether an answer was cut off and the local model can go on writing it (the `continueAnswer` method): stopped by
 * the user, interrupted (Hearth closed mid-answer), failed after some text, or ended at the output limit. A cloud
 * answer is not continued locally (Regenerate asks again). One rule for the core, which refuses any other answer,
 * and the UI, which offers Continue only where the core accepts it.
 */
export function canContinueAnswer(message: Pick<Message, "role" | "status" | "content" | "stats" | "answeredBy">): boolean {
  if (message.role !== "assistant" || message.answeredBy?.kind === "cloud") return false;
  switch (message.status) {
    case "stopped":
    case "interrupted":
      return true;
    case "error":
      return message.content.length > 0;
    case "complete":
      return message.stats?.finishReason === "length";
    case "streaming":
      return false;
    default:
      return message.status satisfies never;
  }
}
