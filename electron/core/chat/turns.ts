import type { Message } from "../../contract/index.js";
import type { ChatTurn } from "../engine/engine.js";

/** The history a model sees: every user message and every answer that has text (failed empty ones are skipped). */
export function toTurns(messages: Message[]): ChatTurn[] {
  return messages
    .filter((m) => m.role === "user" || m.content.trim().length > 0)
    .map((m) => ({ role: m.role, content: m.content }));
}
