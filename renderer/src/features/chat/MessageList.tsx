import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Virtualizer, type VirtualizerHandle } from "virtua";
import { useShallow } from "zustand/react/shallow";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { loadOlderMessages } from "../../state/older-messages-actions.js";
import { selectMessageIds } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { EscalationPanel } from "../privacy/EscalationPanel.js";
import { selectContextCut, type ContextCut } from "./context-cut.js";
import { ContextDivider } from "./ContextDivider.js";
import { warmUpMarkdown } from "./markdown/Markdown.js";
import { holdParsing } from "./markdown/parse-budget.js";
import { MessageItem } from "./MessageItem.js";
import "./message-list.css";

const emptyHints = {
  local: "The model runs on this computer. Nothing you write here leaves it.",
  ask: "The model runs on this computer. If a question needs the cloud, you will see exactly what would be sent first.",
  auto: "The model runs on this computer; hard questions go to the cloud with personal details hidden, and are logged.",
} as const;

/** Pixels rendered above and below the screen: scrolling shows no blank rows, and a short chat is all there. */
const OFFSCREEN_PX = 1200;

/**
 * The height a row is taken to have until it is measured: about a short answer's. Guessed small, a chat would open by
 * mounting every row of its first page (all "fit" in the screen and its margins) only to drop most of them again.
 */
const ROW_ESTIMATE_PX = 240;

/** After a fast scroll, how long rows coming into view wait to be parsed between frames instead of at once. */
const FAST_SCROLL_HOLD_MS = 120;

/** Older messages are fetched while the user is within this many screens of the top of what is loaded. */
const LOAD_OLDER_SCREENS = 2;

/**
 * Only the messages on screen (and a little around) are in the DOM, so a chat of thousands opens and scrolls like a
 * short one; older pages load as the user nears the top, the view holding still meanwhile. Re-renders only when
 * messages are added or removed; follows the stream while the user is at the bottom.
 */
export function MessageList({ conversationId }: { conversationId: string }) {
  const ids = useHearth(selectMessageIds(conversationId));
  // Where the model's memory of this branch begins, after the latest answer that had to leave older messages out.
  const cut = useHearth(useShallow(selectContextCut(conversationId)));
  const loaded = useHearth((s) => s.loadedConversations[conversationId] === true);
  const older = useHearth((s) => s.olderMessages[conversationId]);
  // No hint until the core's decision arrives: a guess could promise "nothing leaves" in an Auto chat.
  const mode = useHearth((s) => selectCloudAccess(conversationId)(s)?.mode ?? null);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const virtualizer = useRef<VirtualizerHandle>(null);
  // A search hit or find match to show: only rows near the screen exist, so the list scrolls to it by index.
  const reveal = useHearth((s) => s.revealMessageId);
  const pinned = useRef(true);
  // Set when this list moves itself (opening at the end, following the stream, showing a hit): not a fast scroll.
  const ownScroll = useRef(false);
  const scrollToEnd = (el: HTMLElement) => {
    // A write that moves nothing fires no scroll event, and would leave the mark for the user's next scroll.
    if (el.scrollHeight - el.clientHeight - el.scrollTop < 1) return;
    ownScroll.current = true;
    el.scrollTop = el.scrollHeight;
  };
  const [startMargin, setStartMargin] = useState(0);

  // Messages put above the first one shown (an older page): the list keeps its place from the end, not the start.
  const shown = useRef<{ conversationId: string; first: string | undefined }>({ conversationId, first: undefined });
  const previousFirst = shown.current.conversationId === conversationId ? shown.current.first : undefined;
  const shift = previousFirst !== undefined && ids[0] !== previousFirst && ids.includes(previousFirst);
  useEffect(() => {
    shown.current = { conversationId, first: ids[0] };
  });

  useEffect(warmUpMarkdown, []);

  useLayoutEffect(() => {
    pinned.current = true;
    const el = scroller.current;
    if (el) scrollToEnd(el);
  }, [conversationId]);

  // Where the list starts in the scroller (the column's padding, the older-messages line), for the virtualizer's sums.
  useLayoutEffect(() => {
    const el = list.current;
    const box = scroller.current;
    if (!el || !box) return;
    const offset = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    setStartMargin((current) => (Math.abs(current - offset) < 1 ? current : offset));
  }, [older, loaded, ids.length === 0]);

  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const nearTop = () => {
      if (el.scrollTop < el.clientHeight * LOAD_OLDER_SCREENS) void loadOlderMessages(conversationId);
    };
    let height = el.scrollHeight;
    let top = el.scrollTop;
    // Before the virtualizer's own listener renders the rows coming into view (capture runs first at the target).
    const onScrollFirst = () => {
      if (ownScroll.current) {
        ownScroll.current = false;
        top = el.scrollTop;
        return;
      }
      // Half a screen or more at once is a fling or a drag: rows passing by show as written until the list slows.
      if (Math.abs(el.scrollTop - top) > el.clientHeight / 2) holdParsing(FAST_SCROLL_HOLD_MS);
      top = el.scrollTop;
    };
    const onScroll = () => {
      // A scroll that comes with a change of height is the list settling (rows measured, the virtualizer keeping
      // its place), not the user leaving the bottom: a pinned list stays pinned.
      if (pinned.current && el.scrollHeight !== height) scrollToEnd(el);
      else pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      height = el.scrollHeight;
      nearTop();
    };
    // Streaming text grows the content without re-rendering this list; follow it by size instead.
    const observer = new ResizeObserver(() => {
      if (pinned.current) scrollToEnd(el);
      else nearTop();
      height = el.scrollHeight;
    });
    el.addEventListener("scroll", onScrollFirst, { passive: true, capture: true });
    el.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(inner);
    return () => {
      el.removeEventListener("scroll", onScrollFirst, { capture: true });
      el.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, [conversationId]);

  useEffect(() => {
    const index = reveal ? ids.indexOf(reveal) : -1;
    if (index < 0) return;
    pinned.current = false;
    ownScroll.current = true;
    virtualizer.current?.scrollToIndex(index, { align: "center" });
  }, [reveal, ids]);

  // A page that arrived while the user still sits near the top: the next one may be needed at once.
  useEffect(() => {
    const el = scroller.current;
    if (older === "more" && el && !pinned.current && el.scrollTop < el.clientHeight * LOAD_OLDER_SCREENS) {
      void loadOlderMessages(conversationId);
    }
  }, [older, conversationId]);

  return (
    <div className="message-scroller" ref={scroller} data-testid="message-list">
      <div className="message-column" ref={content}>
        {older !== undefined && (
          <div className="older-messages small-text muted" data-testid="older-messages" aria-live="polite">
            {older === "loading" ? "Loading earlier messages…" : ""}
          </div>
        )}
        {loaded && ids.length === 0 && (
          <div className="chat-empty">
            <h2>What shall we talk about?</h2>
            {mode && <p className="muted">{emptyHints[mode]}</p>}
          </div>
        )}
        <div ref={list}>
          <Virtualizer
            ref={virtualizer}
            scrollRef={scroller}
            startMargin={startMargin}
            shift={shift}
            bufferSize={OFFSCREEN_PX}
            itemSize={ROW_ESTIMATE_PX}
            data={ids}
          >
            {/* Made for the rows near the screen only: thousands of ids cost no elements each time a page arrives. */}
            {(id: string) => messageRow(conversationId, id, cut)}
          </Virtualizer>
        </div>
        <EscalationPanel conversationId={conversationId} />
      </div>
    </div>
  );
}

/**
 * The list's rows, one per message, with the line where the model's memory begins above the first message it still
 * read. The virtualizer makes each (messageRow) only for the rows near the screen, and measures it; tests render them
 * all without it.
 */
export function messageRows(conversationId: string, ids: readonly string[], cut: ContextCut | null) {
  return ids.map((id) => messageRow(conversationId, id, cut));
}

function messageRow(conversationId: string, id: string, cut: ContextCut | null) {
  return (
    <div className="message-row" key={id}>
      {cut?.firstKeptMessageId === id && <ContextDivider droppedCount={cut.droppedCount} />}
      <MessageItem conversationId={conversationId} messageId={id} />
    </div>
  );
}
