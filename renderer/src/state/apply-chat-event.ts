import { withTextParts, type ChatEvent, type Message } from "../api/contract.js";
import { replaceMessage, setConversationMessages, upsertMessage, type MessagesState } from "./messages-state.js";

function updateMessage(state: MessagesState, messageId: string, change: (message: Message) => Message): MessagesState {
  const message = state.byId[messageId];
  if (!message) return state;
  return { ...state, byId: { ...state.byId, [messageId]: change(message) } };
}

/**
 * Pure reducer for the streamed answer. A delta touches one message object; the per-conversation id list keeps
 * its identity, so only the streaming message re-renders. Events for messages we do not hold are ignored
 * (the conversation is loaded from the core when opened).
 */
export function applyChatEvent(state: MessagesState, event: ChatEvent): MessagesState {
  switch (event.type) {
    case "message-start":
      return upsertMessage(state, event.message);
    case "attempt-started":
      // A new version in place of the one shown there (which stays a version); the rest of the branch is unchanged.
      return replaceMessage(state, event.conversationId, event.replaces, event.message);
    case "message-added":
      // The user's message sent from another window (or this one: the same id, so it replaces the copy it has).
      if (!state.idsByConversation[event.conversationId]) return state;
      return upsertMessage(state, event.message);
    case "text-delta":
      if (event.text === "") return state;
      return updateMessage(state, event.messageId, (m) => withTextParts({ ...m, content: m.content + event.text }));
    case "reasoning-delta":
      if (event.text === "") return state;
      return updateMessage(state, event.messageId, (m) => withTextParts({ ...m, reasoning: m.reasoning + event.text }));
    case "message-finish":
      return updateMessage(state, event.messageId, (m) => withTextParts({
        ...m,
        // The core's whole answer, when sent, wins over the deltas (e.g. an answer the disk could not save).
        content: event.content ?? m.content,
        reasoning: event.reasoning ?? m.reasoning,
        status: event.status,
        stats: event.stats ?? m.stats,
        error: event.error,
      }));
    case "branch-changed":
      // Another version chosen, an edit, a regenerate or a delete (here or in another window): show that branch.
      return setConversationMessages(state, event.conversationId, event.messages);
    case "escalation-proposed":
    case "escalation-resolved":
      // Proposals live beside the messages (escalation-state.ts); the user's message is already here.
      return state;
    default:
      return event satisfies never;
  }
}
