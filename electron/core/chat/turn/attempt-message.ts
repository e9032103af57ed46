import type { Message } from "../../../contract/index.js";
import type { Attempt } from "./turn-schema.js";

/** An attempt as the message row it becomes: who answered and why (the badge), and its status. */
export function answeredByOf(attempt: Attempt): NonNullable<Message["answeredBy"]> {
  return {
    kind: attempt.target,
    provider: attempt.provider?.name ?? null,
    model: attempt.target === "cloud" ? (attempt.provider?.model ?? attempt.model) : attempt.model,
    reason: attempt.reason.text,
    failover: attempt.kind === "failover",
  };
}

/** Message fields an attempt decides (the row's id, conversation and parent come from the tree). */
export function messageFieldsOf(attempt: Attempt): Pick<Message, "content" | "reasoning" | "status" | "stats" | "error" | "modelName" | "answeredBy"> {
  return {
    content: attempt.text,
    reasoning: attempt.reasoning,
    status: attempt.status,
    stats: statsOf(attempt),
    error: attempt.error,
    modelName: attempt.model,
    answeredBy: answeredByOf(attempt),
  };
}

/** The attempt's stats with why it ended (a cut-off answer can be continued) and how long the model thought. */
function statsOf(attempt: Attempt): Attempt["stats"] {
  if (!attempt.stats) return null;
  const span = attempt.reasoningSpan;
  return {
    ...attempt.stats,
    ...(attempt.finish ? { finishReason: attempt.finish } : {}),
    ...(span ? { reasoningMs: span.to - span.from } : {}),
  };
}
