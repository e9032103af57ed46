import { canContinueAnswer, type Message } from "../../api/contract.js";
import { continueAnswer } from "../../state/version-actions.js";

/**
 * "Continue" under a cut-off answer (stopped, interrupted, at the output limit) at the end of the branch: a new
 * version goes on where it stopped, and ‹ 1/2 › keeps the cut one. Which answers qualify is the core's rule.
 */
export function ContinueButton({ message, isLast, busy }: { message: Message; isLast: boolean; busy: boolean }) {
  if (!isLast || !canContinueAnswer(message)) return null;
  return (
    <button
      type="button"
      className="button ghost small"
      title="Go on writing this answer from where it stopped"
      disabled={busy}
      onClick={() => void continueAnswer(message.conversationId, message.id)}
      data-testid="continue-answer"
    >
      Continue
    </button>
  );
}
