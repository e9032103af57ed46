import { useState } from "react";
import type { Message } from "../../api/contract.js";
import { countMessagesToDelete, deleteMessage } from "../../state/version-actions.js";

/** Delete, after a confirmation that says how many messages below go with it (every version of them). */
export function DeleteMessageButton({ message, disabled }: { message: Message; disabled: boolean }) {
  const [count, setCount] = useState<number | null>(null);
  if (count !== null) {
    const below = count - 1;
    return (
      <span className="delete-message-confirm" role="alert" data-testid="delete-message-confirm">
        <span>
          {below === 0 ? "Delete this message?" : `Delete this message and the ${below} ${below === 1 ? "message" : "messages"} below it?`}
        </span>
        <button
          type="button"
          className="button danger small"
          data-testid="delete-message-confirm-button"
          onClick={() => {
            setCount(null);
            void deleteMessage(message.conversationId, message.id);
          }}
        >
          Delete
        </button>
        <button type="button" className="button ghost small" onClick={() => setCount(null)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <button
      type="button"
      className="button ghost small"
      data-testid="delete-message"
      disabled={disabled}
      onClick={() => void countMessagesToDelete(message.conversationId, message.id).then(setCount)}
    >
      Delete
    </button>
  );
}
