import { memo, useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Virtualizer, type CustomContainerComponentProps, type CustomItemComponentProps, type VirtualizerHandle } from "virtua";
import { useShallow } from "zustand/react/shallow";
import { conversationSentToCloud, deleteConversation, openConversation, renameConversation } from "../../state/actions.js";
import { loadMoreConversations, selectSortedConversationIds } from "../../state/conversation-pages.js";
import { useHearth } from "../../state/store.js";
import "./conversation-list.css";
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
      <div className="conversation-item editing" data-testid="conversation-item">
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
      </div>
    );
  }

  return (
    <div className={`conversation-item${active ? " active" : ""}`} data-testid="conversation-item" data-conversation-id={id}>
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
    </div>
  );
});

/** Older conversations are fetched while the user is within this many pixels of the end of what is loaded. */
const LOAD_MORE_PX = 600;
/** Rows rendered beyond the sidebar's edges, so a quick scroll shows no gaps. */
const OFFSCREEN_PX = 400;

function ListElement({ style, children, ref }: CustomContainerComponentProps) {
  return (
    <ul ref={ref} style={style} className="conversation-list" aria-label="Conversations">
      {children}
    </ul>
  );
}

function ItemElement({ style, children, ref }: CustomItemComponentProps) {
  return (
    <li ref={ref} style={style} className="conversation-row">
      {children}
    </li>
  );
}

/**
 * The sidebar's conversations: only the rows near the screen are in the DOM (its scroller, the virtualizer's parent,
 * is the sidebar's), and older pages are fetched from the core as the list nears its end. Each row subscribes to its
 * own conversation, so one conversation's change re-renders that row only.
 */
export function ConversationList() {
  const ids = useHearth(useShallow(selectSortedConversationIds));
  const loaded = useHearth((s) => s.conversationsLoaded);
  const more = useHearth((s) => s.conversationsMore);
  const virtualizer = useRef<VirtualizerHandle>(null);

  const nearEnd = useCallback(() => {
    const v = virtualizer.current;
    if (v && v.scrollOffset + v.viewportSize >= v.scrollSize - LOAD_MORE_PX) void loadMoreConversations();
  }, []);
  // A page that still leaves the end in sight (a tall window, a short page) asks for the next.
  useEffect(() => {
    if (more === "more") nearEnd();
  }, [more, ids.length, nearEnd]);

  if (loaded && ids.length === 0) return <p className="sidebar-empty">No conversations yet.</p>;
  return (
    <Virtualizer ref={virtualizer} as={ListElement} item={ItemElement} bufferSize={OFFSCREEN_PX} onScroll={nearEnd}>
      {ids.map((id) => (
        <ConversationItem key={id} id={id} />
      ))}
    </Virtualizer>
  );
}
