import { useEffect, useMemo } from "react";
import { closeFind, setFindQuery, stepFind } from "../../state/search-actions.js";
import { useHearth } from "../../state/store.js";
import { findMatches, MAX_FIND_CHARS, occurrenceInMessage } from "./find-matches.js";
import { paintHighlight, textRanges } from "./text-ranges.js";
import "./search.css";

const MATCH = "hearth-find";
const CURRENT = "hearth-find-current";

/** The rendered text of a message: its body only, not its buttons or labels. */
function messageBodies(messageId: string): Element[] {
  const item = document.querySelector(`[data-testid="message-list"] [data-message-id="${CSS.escape(messageId)}"]`);
  return item ? [...item.querySelectorAll(".message-body")] : [];
}

/**
 * Ctrl/Cmd+F: finds text in the open conversation's loaded messages. Every match is painted, the current one
 * brighter and scrolled to; Enter / Shift+Enter go to the next / previous, Esc closes.
 */
export function FindBar() {
  const open = useHearth((s) => s.find.open);
  return open ? <OpenFindBar /> : null;
}

function OpenFindBar() {
  const query = useHearth((s) => s.find.query);
  const current = useHearth((s) => s.find.current);
  // Recounted when the text or the conversation's messages change (new objects each time: no shallow selector).
  const activeId = useHearth((s) => s.activeConversationId);
  const ids = useHearth((s) => (activeId ? s.messages.idsByConversation[activeId] : undefined));
  const byId = useHearth((s) => s.messages.byId);
  const matches = useMemo(
    () => // Answers are Markdown, searched as they read; a user's message shows as typed.
      findMatches((ids ?? []).flatMap((id) => (byId[id] ? [{ id, content: byId[id].content, markdown: byId[id].role === "assistant" }] : [])), query),
    [ids, byId, query],
  );

  useEffect(() => {
    const paint = (scroll: boolean) => {
      const ids = [...new Set(matches.map((m) => m.messageId))];
      const rangesById = new Map(ids.map((id) => [id, messageBodies(id).flatMap((body) => textRanges(body, query))]));
      paintHighlight(MATCH, [...rangesById.values()].flat());
      const match = matches[current];
      const inMessage = match ? (rangesById.get(match.messageId) ?? []) : [];
      const range = inMessage[Math.min(occurrenceInMessage(matches, current), inMessage.length - 1)];
      paintHighlight(CURRENT, range ? [range] : []);
      if (scroll) range?.startContainer.parentElement?.scrollIntoView({ block: "center" });
    };
    // Painted after the frame in which the chat shows (and scrolls to) the message; painted again, without
    // scrolling, whenever the list's DOM changes (text re-rendered, rows mounted as they scroll into view).
    let frame = requestAnimationFrame(() => paint(true));
    const list = document.querySelector('[data-testid="message-list"]');
    const observer = new MutationObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => paint(false));
    });
    if (list) observer.observe(list, { childList: true, subtree: true, characterData: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [query, current, matches]);

  useEffect(
    () => () => {
      paintHighlight(MATCH, []);
      paintHighlight(CURRENT, []);
    },
    [],
  );

  const count = matches.length;
  return (
    <div className="find-bar" role="search" data-testid="find-bar">
      <input
        className="find-input"
        type="search"
        autoFocus
        aria-label="Find in this conversation"
        placeholder="Find in conversation"
        maxLength={MAX_FIND_CHARS}
        value={query}
        onChange={(event) => setFindQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            stepFind(event.shiftKey ? -1 : 1);
          } else if (event.key === "Escape") {
            event.stopPropagation();
            closeFind();
          }
        }}
        data-testid="find-input"
      />
      <span className="find-count muted" aria-live="polite" data-testid="find-count">
        {query.trim() === "" ? "" : count === 0 ? "No matches" : `${current + 1}/${count}`}
      </span>
      <button type="button" className="button ghost small" disabled={count === 0} onClick={() => stepFind(-1)} aria-label="Previous match" data-testid="find-previous">
        ↑
      </button>
      <button type="button" className="button ghost small" disabled={count === 0} onClick={() => stepFind(1)} aria-label="Next match" data-testid="find-next">
        ↓
      </button>
      <button type="button" className="button ghost small" onClick={closeFind} aria-label="Close find" data-testid="find-close">
        ✕
      </button>
    </div>
  );
}
