import type { Message } from "../../api/contract.js";
import { regenerate } from "../../state/actions.js";

/** The answer stopped because the conversation no longer fits and asks first: dropping the oldest messages would help. */
export function needsDropping(message: Message): boolean {
  return message.status === "error" && message.error?.code === "CONTEXT_FULL" && message.error.reason === "needs-dropping";
}

/**
 * On an answer that stopped to ask (a stop-and-ask conversation that no longer fits): answer again, this once
 * dropping the oldest messages. Not offered when the latest message alone is too long, where dropping cannot help.
 */
export function ContextFullAction({ message, busy }: { message: Message; busy: boolean }) {
  if (!needsDropping(message)) return null;
  return (
    <button
      type="button"
      className="button small context-full-action"
      disabled={busy}
      onClick={() => void regenerate(message.conversationId, message.id, undefined, { contextOverflow: "drop-oldest" })}
      data-testid="drop-oldest-and-answer"
    >
      Drop the oldest messages and answer
    </button>
  );
}
