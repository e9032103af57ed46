import { useEffect, useState } from "react";
import type { Message } from "../../api/contract.js";
import { useHearth } from "../../state/store.js";
import { setEditDraft } from "../../state/edit-drafts.js";
import { editMessage } from "../../state/version-actions.js";
import { clearEditRequest } from "../shortcuts/shortcut-actions.js";
import { AnswerButton } from "./AnswerButton.js";
import { CopyButton } from "./CopyButton.js";
import { DeleteMessageButton } from "./DeleteMessageButton.js";
import { VersionSwitcher } from "./VersionSwitcher.js";

/** The user's message: Edit opens it in place, and Save sends the new text as a new branch (the old one stays). */
/** `isLast` and `waiting` (a proposal about it waits for the user) decide whether "Answer" is offered. */
export function UserMessage({ message, busy, isLast = false, waiting = false }: { message: Message; busy: boolean; isLast?: boolean; waiting?: boolean }) {
  const draft = useHearth((s) => s.editDrafts[message.id] ?? null);
  const setDraft = (text: string | null) => setEditDraft(message.id, text);
  const [saving, setSaving] = useState(false);
  // ↑ in an empty message box asks to edit this message (see shortcut-actions.ts).
  const editRequested = useHearth((s) => s.editRequestId === message.id);
  useEffect(() => {
    if (!editRequested) return;
    clearEditRequest();
    if (!busy && useHearth.getState().editDrafts[message.id] === undefined) setEditDraft(message.id, message.content);
  }, [editRequested, busy, message.id, message.content]);
  if (draft !== null) {
    const save = async () => {
      setSaving(true);
      const saved = await editMessage(message.conversationId, message.id, draft);
      setSaving(false);
      if (saved) setDraft(null);
    };
    return (
      <article className="message message-user editing" data-testid="message-user-item" data-message-id={message.id}>
        <textarea
          className="message-editor"
          aria-label="Edit your message"
          data-testid="message-editor"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          rows={Math.min(12, Math.max(2, draft.split("\n").length))}
          autoFocus
        />
        <div className="message-footer">
          <span className="message-actions">
            <button
              type="button"
              className="button primary small"
              data-testid="message-editor-save"
              disabled={saving || busy || draft.trim() === ""}
              onClick={() => void save()}
            >
              Save and send
            </button>
            <button type="button" className="button ghost small" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </span>
        </div>
      </article>
    );
  }
  return (
    <article className="message message-user" data-testid="message-user-item" data-message-id={message.id}>
      {/* The bubble alone is "message-user": its text is the message, without the actions below it. */}
      <div className="message-body user-text" data-testid="message-user">
        {message.content}
      </div>
      <div className="message-footer">
        <VersionSwitcher message={message} disabled={busy} />
        <span className="message-actions">
          <AnswerButton message={message} isLast={isLast} busy={busy} waiting={waiting} />
          <CopyButton text={message.content} />
          <button type="button" className="button ghost small" data-testid="edit-message" disabled={busy} onClick={() => setDraft(message.content)}>
            Edit
          </button>
          <DeleteMessageButton message={message} disabled={busy} />
        </span>
      </div>
    </article>
  );
}
