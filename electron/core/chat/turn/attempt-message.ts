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
    // Why it ended goes with the stats (a cut-off answer can be continued), whoever wrote it.
    stats: attempt.stats && attempt.finish ? { ...attempt.stats, finishReason: attempt.finish } : attempt.stats,
    error: attempt.error,
    modelName: attempt.model,
    answeredBy: answeredByOf(attempt),
  };
}
