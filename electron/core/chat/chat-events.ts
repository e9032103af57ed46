import type { ChatEvent, Message } from "../../contract/index.js";

// The chat events that carry a message's parts, built in one place so the emitters (the answer stream today, the
// turn engine next) cannot drift from the contract's part names.

/** Text appended to the answer's text part. */
export function textPartDelta(conversationId: string, messageId: string, text: string): ChatEvent {
  return { type: "text-delta", conversationId, messageId, text };
}

/** Text appended to the answer's reasoning part. */
export function reasoningPartDelta(conversationId: string, messageId: string, text: string): ChatEvent {
  return { type: "reasoning-delta", conversationId, messageId, text };
}

/** The user's own message, stored: every window shows it (the sender's replaces its copy by id). */
export function messageAdded(conversationId: string, message: Message): ChatEvent {
  return { type: "message-added", conversationId, message };
}
