import { Fragment, useEffect, useLayoutEffect, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { selectMessageIds } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { EscalationPanel } from "../privacy/EscalationPanel.js";
import { selectContextCut } from "./context-cut.js";
import { ContextDivider } from "./ContextDivider.js";
import { MessageItem } from "./MessageItem.js";

const emptyHints = {
  local: "The model runs on this computer. Nothing you write here leaves it.",
  ask: "The model runs on this computer. If a question needs the cloud, you will see exactly what would be sent first.",
  auto: "The model runs on this computer; hard questions go to the cloud with personal details hidden, and are logged.",
} as const;

/** Re-renders only when messages are added or removed; follows the stream while the user is at the bottom. */
export function MessageList({ conversationId }: { conversationId: string }) {
  const ids = useHearth(selectMessageIds(conversationId));
  // Where the model's memory of this branch begins, after the latest answer that had to leave older messages out.
  const cut = useHearth(useShallow(selectContextCut(conversationId)));
  const loaded = useHearth((s) => s.loadedConversations[conversationId] === true);
  // No hint until the core's decision arrives: a guess could promise "nothing leaves" in an Auto chat.
  const mode = useHearth((s) => selectCloudAccess(conversationId)(s)?.mode ?? null);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useLayoutEffect(() => {
    pinned.current = true;
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [conversationId]);

  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const onScroll = () => {
      pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    };
    // Streaming text grows the content without re-rendering this list; follow it by size instead.
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    });
    el.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(inner);
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);

  return (
    <div className="message-scroller" ref={scroller} data-testid="message-list">
      <div className="message-column" ref={content}>
        {loaded && ids.length === 0 && (
          <div className="chat-empty">
            <h2>What shall we talk about?</h2>
            {mode && <p className="muted">{emptyHints[mode]}</p>}
          </div>
        )}
        {ids.map((id) => (
          <Fragment key={id}>
            {cut?.firstKeptMessageId === id && <ContextDivider droppedCount={cut.droppedCount} />}
            <MessageItem conversationId={conversationId} messageId={id} />
          </Fragment>
        ))}
        <EscalationPanel conversationId={conversationId} />
      </div>
    </div>
  );
}
