import type { Message } from "../../api/contract.js";
import type { HearthState } from "../../state/store.js";

/** Where the model's memory of the shown branch begins, and how many messages before it it no longer reads. */
export type ContextCut = { firstKeptMessageId: string; droppedCount: number };

/** "The first 12 messages are no longer in the model's memory." (the core's words for the same cut) */
export function contextNotice(droppedCount: number): string {
  return droppedCount === 1
    ? "The first message is no longer in the model's memory."
    : `The first ${droppedCount} messages are no longer in the model's memory.`;
}

/**
 * The cut of the latest finished answer of the branch shown (an answer being written has no prompt to report yet,
 * so the previous one's cut stays). Null when that answer's prompt held the whole branch.
 * Reads at most the last three messages: it runs on every streamed delta.
 */
export function selectContextCut(conversationId: string) {
  return (state: HearthState): ContextCut | null => {
    const ids = state.messages.idsByConversation[conversationId] ?? [];
    let answer: Message | undefined;
    // At most: the answer being written, its user message, then the latest finished answer.
    for (let i = ids.length - 1; i >= Math.max(0, ids.length - 3) && !answer; i--) {
      const message = state.messages.byId[ids[i]!];
      if (message?.role === "assistant" && message.status !== "streaming") answer = message;
    }
    const context = answer?.stats?.context;
    if (!context || context.droppedCount === 0 || !context.firstKeptMessageId) return null;
    return { firstKeptMessageId: context.firstKeptMessageId, droppedCount: context.droppedCount };
  };
}
