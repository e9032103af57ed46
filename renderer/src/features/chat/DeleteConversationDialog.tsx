import { useState } from "react";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
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
  return (
    <ConfirmDialog
      title={`Delete “${props.title || "New chat"}”?`}
      confirmLabel="Delete"
      danger
      testId="conversation-delete-dialog"
      actionsTestId="conversation-delete"
      onConfirm={() => props.onConfirm(erase)}
      onCancel={props.onCancel}
    >
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
    </ConfirmDialog>
  );
}
