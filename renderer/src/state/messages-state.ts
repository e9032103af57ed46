import type { Message } from "../api/contract.js";

/** Messages normalised by id, so a streaming answer replaces one object and nothing else. */
export type MessagesState = {
  byId: Record<string, Message>;
  /** Display order per conversation; only changes when a message is added or removed. */
  idsByConversation: Record<string, string[]>;
};

export const emptyMessagesState: MessagesState = { byId: {}, idsByConversation: {} };

/** Whether `a` belongs before `b` in a conversation (by time; a user message before its answer on a tie). */
function comesBefore(a: Message, b: Message): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.role === "user" && b.role === "assistant";
}

function insertOrdered(ids: readonly string[], byId: Record<string, Message>, message: Message): string[] {
  const index = ids.findIndex((id) => {
    const other = byId[id];
    return other !== undefined && comesBefore(message, other);
  });
  if (index === -1) return [...ids, message.id];
  return [...ids.slice(0, index), message.id, ...ids.slice(index)];
}

/** Adds or replaces one message; the id list is only rebuilt when the message is new. */
export function upsertMessage(state: MessagesState, message: Message): MessagesState {
  const ids = state.idsByConversation[message.conversationId] ?? [];
  // A restarted message (message-start) does not carry its versions; it keeps the ones we know.
  const known = state.byId[message.id]?.versionIds;
  const byId = { ...state.byId, [message.id]: message.versionIds === undefined && known ? { ...message, versionIds: known } : message };
  if (ids.includes(message.id)) return { ...state, byId };
  return {
    byId,
    idsByConversation: { ...state.idsByConversation, [message.conversationId]: insertOrdered(ids, byId, message) },
  };
}

/**
 * Replaces a conversation's messages with what the core says it holds. An answer still streaming keeps the
 * copy we already follow: the core's copy is only saved every few hundred ms, the events are ahead of it.
 * `keepStreaming: false` for a snapshot that is exact up to an event number (getConversation's `lastSeq`).
 */
export function setConversationMessages(
  state: MessagesState,
  conversationId: string,
  messages: readonly Message[],
  options: { keepStreaming?: boolean } = {},
): MessagesState {
  const keepStreaming = options.keepStreaming ?? true;
  const byId = { ...state.byId };
  for (const id of state.idsByConversation[conversationId] ?? []) delete byId[id];
  const ids: string[] = [];
  for (const message of messages) {
    const live = state.byId[message.id];
    const keepLive = keepStreaming && message.status === "streaming" && live?.status === "streaming";
    // The live copy is ahead in text; the core's copy knows the versions.
    byId[message.id] = keepLive ? { ...live, parentId: message.parentId, versionIds: message.versionIds } : message;
    ids.push(message.id);
  }
  return { byId, idsByConversation: { ...state.idsByConversation, [conversationId]: ids } };
}

/** Puts an older page of the conversation above what it shows; messages already shown are not repeated. */
export function prependMessages(state: MessagesState, conversationId: string, older: readonly Message[]): MessagesState {
  const ids = state.idsByConversation[conversationId] ?? [];
  const fresh = older.filter((m) => !ids.includes(m.id) && state.byId[m.id] === undefined);
  if (fresh.length === 0) return state;
  const byId = { ...state.byId };
  for (const message of fresh) byId[message.id] = message;
  return { byId, idsByConversation: { ...state.idsByConversation, [conversationId]: [...fresh.map((m) => m.id), ...ids] } };
}

/**
 * Shows `message` where `replaces` stood (a new version of it; a new version has nothing below it yet, so the
 * branch ends there), or adds it when that one is not shown. What leaves the list stays in the conversation: the
 * replaced message is one of `message.versionIds`, and what hung below it is on its branch.
 */
export function replaceMessage(state: MessagesState, conversationId: string, replaces: string | null, message: Message): MessagesState {
  const ids = state.idsByConversation[conversationId];
  if (!ids) return state;
  const at = replaces === null ? -1 : ids.indexOf(replaces);
  if (at === -1) return upsertMessage(state, message);
  const byId = { ...state.byId, [message.id]: message };
  for (const id of ids.slice(at)) if (id !== message.id) delete byId[id];
  return { byId, idsByConversation: { ...state.idsByConversation, [conversationId]: [...ids.slice(0, at), message.id] } };
}

export function removeMessage(state: MessagesState, conversationId: string, messageId: string): MessagesState {
  const ids = state.idsByConversation[conversationId];
  if (!ids?.includes(messageId)) return state;
  const byId = { ...state.byId };
  delete byId[messageId];
  return {
    byId,
    idsByConversation: { ...state.idsByConversation, [conversationId]: ids.filter((id) => id !== messageId) },
  };
}

export function removeConversationMessages(state: MessagesState, conversationId: string): MessagesState {
  const ids = state.idsByConversation[conversationId];
  if (!ids) return state;
  const byId = { ...state.byId };
  for (const id of ids) delete byId[id];
  const idsByConversation = { ...state.idsByConversation };
  delete idsByConversation[conversationId];
  return { byId, idsByConversation };
}
