import type { Message } from "../../api/contract.js";
import { regenerate } from "../../state/actions.js";

/**
 * "Answer" under the last message of the branch when it is the user's own and has no answer (Hearth closed or was
 * stopped before one started, or a proposal about it was dropped): asks for one without retyping it. Hidden while a
 * proposal about it waits for the user.
 */
export function AnswerButton({ message, isLast, busy, waiting }: { message: Message; isLast: boolean; busy: boolean; waiting: boolean }) {
  if (!isLast || message.role !== "user" || waiting) return null;
  return (
    <button
      type="button"
      className="button ghost small"
      data-testid="answer-message"
      disabled={busy}
      title="This message has no answer yet"
      onClick={() => void regenerate(message.conversationId, message.id)}
    >
      Answer
    </button>
  );
}
