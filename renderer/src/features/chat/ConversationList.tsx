import { memo, useCallback, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { conversationSentToCloud, deleteConversation, openConversation, renameConversation } from "../../state/actions.js";
import { selectConversationIds } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { DeleteConversationDialog } from "./DeleteConversationDialog.js";
import { ExportConversationMenu } from "../transfer/ExportConversationMenu.js";

const ConversationItem = memo(function ConversationItem({ id }: { id: string }) {
  const title = useHearth((s) => s.conversations[id]?.title ?? "");
  const active = useHearth((s) => s.activeConversationId === id && s.view === "chat");
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(title);
  // null while not confirming; otherwise whether the chat has audit payloads to offer erasing.
  const [confirming, setConfirming] = useState<{ hasAudit: boolean } | null>(null);
  const cancel = useCallback(() => setConfirming(null), []);

  function startRename() {
    setDraft(title);
    setEditing(true);
  }

  function commit(event?: FormEvent) {
    event?.preventDefault();
    const next = draft.trim();
    setEditing(false);
    if (next && next !== title) void renameConversation(id, next);
  }

  function remove() {
    void conversationSentToCloud(id).then((hasAudit) => setConfirming({ hasAudit }));
  }

  if (editing) {
    return (
      <li className="conversation-item editing" data-testid="conversation-item">
        <form onSubmit={commit}>
          <input
            className="input conversation-title-input"
            aria-label="Conversation title"
            value={draft}
            maxLength={200}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => commit()}
            onKeyDown={(e) => {
              if (e.key === "Escape") setEditing(false);
            }}
            data-testid="conversation-title-input"
          />
        </form>
      </li>
    );
  }

  return (
    <li className={`conversation-item${active ? " active" : ""}`} data-testid="conversation-item" data-conversation-id={id}>
      <button
        type="button"
        className="conversation-open"
        aria-current={active ? "page" : undefined}
        onClick={() => void openConversation(id)}
        onDoubleClick={startRename}
        title={title}
      >
        {title || "New chat"}
      </button>
      <span className="conversation-tools">
        <button type="button" className="icon-button" aria-label="Rename" title="Rename" onClick={startRename} data-testid="conversation-rename">
          ✎
        </button>
        <ExportConversationMenu conversationId={id} />
        <button type="button" className="icon-button danger" aria-label="Delete" title="Delete" onClick={remove} data-testid="conversation-delete">
          ✕
        </button>
      </span>
      {confirming && (
        <DeleteConversationDialog
          title={title}
          hasAudit={confirming.hasAudit}
          onCancel={cancel}
          onConfirm={(eraseAudit) => {
            setConfirming(null);
            void deleteConversation(id, { eraseAudit });
          }}
        />
      )}
    </li>
  );
});

export function ConversationList() {
  const ids = useHearth(useShallow(selectConversationIds));
  const loaded = useHearth((s) => s.conversationsLoaded);
  if (loaded && ids.length === 0) return <p className="sidebar-empty">No conversations yet.</p>;
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {ids.map((id) => (
        <ConversationItem key={id} id={id} />
      ))}
    </ul>
  );
}
