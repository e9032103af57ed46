import { useEffect, useId, useState } from "react";
import "./chat.css";

export const ERASE_AUDIT_LABEL = "Also erase what was sent from the audit log (a tombstone with time, host, size and hash stays)";

/**
 * Asks before a conversation is deleted. Where the conversation sent something to a cloud provider (`hasAudit`), it
 * offers to erase those payloads from the audit log too; unticked by default, so the record stays unless asked.
 */
export function DeleteConversationDialog(props: {
  title: string;
  hasAudit: boolean;
  onConfirm: (eraseAudit: boolean) => void;
  onCancel: () => void;
}) {
  const [erase, setErase] = useState(false);
  const titleId = useId();
  const { onCancel } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onCancel();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="confirm-backdrop" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div className="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId} data-testid="conversation-delete-dialog">
        <h2 id={titleId}>Delete “{props.title || "New chat"}”?</h2>
        <p>This cannot be undone.</p>
        {props.hasAudit && (
          <label className="confirm-option">
            <input
              type="checkbox"
              checked={erase}
              onChange={(event) => setErase(event.target.checked)}
              data-testid="conversation-delete-erase-audit"
            />
            <span>{ERASE_AUDIT_LABEL}</span>
          </label>
        )}
        <div className="confirm-actions">
          <button type="button" className="button ghost" onClick={onCancel} autoFocus data-testid="conversation-delete-cancel">
            Cancel
          </button>
          <button type="button" className="button danger" onClick={() => props.onConfirm(erase)} data-testid="conversation-delete-confirm">
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}
