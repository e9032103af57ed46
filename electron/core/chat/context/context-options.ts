import type { ContextOverflow, Conversation, Message } from "../../../contract/index.js";

/**
 * When turns must go, a quarter of the budget is freed too, so the next turns fit behind the same start (the KV cache
 * is reused, and a stop-and-ask conversation is not asked again at every send). Measured in engine.test.ts: the
 * second send on a full 256-token context evaluates 56 prompt tokens with it, 177 without.
 */
export const CUT_HEADROOM = 0.25;

/** How the engine fits this send's prompt into the model's context (PromptSource's overflow, keptFrom, headroom). */
export type ContextOptions = { overflow: ContextOverflow; keptFrom: string | null; headroom: number };

/** For one send only: the user agreed to drop the oldest messages after a stop-and-ask conversation no longer fit. */
export type OverflowOverride = { contextOverflow?: "drop-oldest" };

type AnswerFacts = Pick<Message, "role" | "stats"> & { answeredBy?: Message["answeredBy"] };

/**
 * The context options of a send on `branch` (the active path the prompt is built from, root first): the
 * conversation's overflow setting unless overridden, and the start the latest local answer kept.
 */
export function contextOptions(
  conversation: Pick<Conversation, "settings">,
  branch: readonly AnswerFacts[],
  override: OverflowOverride = {},
): ContextOptions {
  return {
    overflow: override.contextOverflow ?? conversation.settings.contextOverflow,
    keptFrom: keptFromOf(branch),
    headroom: CUT_HEADROOM,
  };
}

/**
 * The first message the latest local answer on the branch read: what it left out stays out while the rest fits.
 * Null when that answer read everything. Answers with no stats (failed before finishing) and cloud answers (their
 * provider got the whole branch, so their stats say nothing of the local context) do not count.
 */
export function keptFromOf(branch: readonly AnswerFacts[]): string | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const message = branch[i]!;
    if (message.role !== "assistant" || !message.stats || message.answeredBy?.kind === "cloud") continue;
    return message.stats.context?.firstKeptMessageId ?? null;
  }
  return null;
}
