import { useEffect, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import { closeFind, selectFindMatches, setFindQuery, stepFind } from "../../state/search-actions.js";
import { useHearth } from "../../state/store.js";
import { MAX_FIND_CHARS, occurrenceInMessage } from "./find-matches.js";
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
  const { open, query, current } = useHearth(useShallow((s) => s.find));
  const matches = useHearth(useShallow(selectFindMatches));
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    // Painted after the frame in which the chat shows (and scrolls to) the message.
    const frame = requestAnimationFrame(() => {
      const ids = [...new Set(matches.map((m) => m.messageId))];
      const rangesById = new Map(ids.map((id) => [id, messageBodies(id).flatMap((body) => textRanges(body, query))]));
      paintHighlight(MATCH, [...rangesById.values()].flat());
      const match = matches[current];
      const inMessage = match ? (rangesById.get(match.messageId) ?? []) : [];
      const range = inMessage[Math.min(occurrenceInMessage(matches, current), inMessage.length - 1)];
      paintHighlight(CURRENT, range ? [range] : []);
      range?.startContainer.parentElement?.scrollIntoView({ block: "center" });
    });
    return () => cancelAnimationFrame(frame);
  }, [open, query, current, matches]);

  useEffect(
    () => () => {
      paintHighlight(MATCH, []);
      paintHighlight(CURRENT, []);
    },
    [],
  );

  if (!open) return null;
  const count = matches.length;
  return (
    <div className="find-bar" role="search" data-testid="find-bar">
      <input
        ref={input}
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
