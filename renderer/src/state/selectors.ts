import type { Conversation, Message } from "../api/contract.js";
import type { HearthState } from "./store.js";

const noIds: string[] = [];

/** Newest first. Use with useShallow: a new array with the same ids does not re-render. */
export function selectConversationIds(state: HearthState): string[] {
  return Object.values(state.conversations)
    .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt)
    .map((c) => c.id);
}

export function selectMessageIds(conversationId: string | null) {
  return (state: HearthState): string[] =>
    conversationId ? (state.messages.idsByConversation[conversationId] ?? noIds) : noIds;
}

export function selectMessage(messageId: string) {
  return (state: HearthState): Message | undefined => state.messages.byId[messageId];
}

export function selectActiveConversation(state: HearthState): Conversation | null {
  const id = state.activeConversationId;
  return id ? (state.conversations[id] ?? null) : null;
}

/** The last message of a conversation, if any. */
export function lastMessageOf(state: HearthState, conversationId: string | null): Message | undefined {
  if (!conversationId) return undefined;
  const ids = state.messages.idsByConversation[conversationId];
  const last = ids?.[ids.length - 1];
  return last ? state.messages.byId[last] : undefined;
}

export function selectIsGenerating(conversationId: string | null) {
  return (state: HearthState): boolean => lastMessageOf(state, conversationId)?.status === "streaming";
}

export function selectIsLastMessage(conversationId: string, messageId: string) {
  return (state: HearthState): boolean => {
    const ids = state.messages.idsByConversation[conversationId];
    return ids !== undefined && ids[ids.length - 1] === messageId;
  };
}
