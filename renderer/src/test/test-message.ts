import { withTextParts, type Message } from "../api/contract.js";

/**
 * A message for renderer tests: a complete one in conversation "c1" with no text, no model and no stats unless the
 * overrides say otherwise; its parts follow its text and reasoning, as when the store reads it.
 */
export function testMessage(overrides: Partial<Message> & Pick<Message, "id" | "role">): Message {
  return withTextParts({
    conversationId: "c1",
    content: "",
    reasoning: "",
    status: "complete",
    modelId: null,
    modelName: null,
    stats: null,
    error: null,
    createdAt: 1_000,
    ...overrides,
  });
}
