import { useEffect } from "react";
import { revealed } from "../../state/search-actions.js";
import { useHearth } from "../../state/store.js";
import { scrollTowards, type RenderedRow } from "./scroll-towards.js";

/** Frames to wait for a message to be shown (its conversation loading) before giving up on scrolling to it. */
const REVEAL_FRAMES = 180;

/** The chat's rendered rows, with their index in the conversation and their place in the scrolled content. */
function renderedRows(scroller: HTMLElement, ids: readonly string[]): RenderedRow[] {
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const origin = scroller.getBoundingClientRect().top - scroller.scrollTop;
  return [...scroller.querySelectorAll<HTMLElement>("[data-message-id]")].flatMap((element) => {
    const index = indexOf.get(element.dataset.messageId ?? "");
    if (index === undefined) return [];
    const box = element.getBoundingClientRect();
    return [{ index, top: box.top - origin, bottom: box.bottom - origin }];
  });
}

/**
 * Scrolls the chat to `revealMessageId` once it is loaded, and flashes it. In a virtualized list the message may
 * not be in the DOM: the list is scrolled towards it (estimated from the rows rendered) until it is.
 */
export function useReveal(): void {
  const target = useHearth((s) => s.revealMessageId);
  useEffect(() => {
    if (!target) return;
    let frame = 0;
    let left = REVEAL_FRAMES;
    let settled = 0;
    const tick = () => {
      const scroller = document.querySelector<HTMLElement>('[data-testid="message-list"]');
      const element = scroller?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target)}"]`);
      if (scroller && element) {
        const box = element.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        const visible = box.bottom > view.top && box.top < view.bottom;
        // The list follows the bottom while content grows (markdown laid out): scroll until it stays in view.
        if (!visible) {
          element.scrollIntoView({ block: "center" });
          settled = 0;
        } else if (++settled >= 3) {
          element.dataset.revealed = "true";
          setTimeout(() => delete element.dataset.revealed, 1500);
          revealed(target);
          return;
        }
      } else if (scroller) {
        const state = useHearth.getState();
        const ids = state.activeConversationId ? (state.messages.idsByConversation[state.activeConversationId] ?? []) : [];
        const index = ids.indexOf(target);
        if (index !== -1) {
          const at = scrollTowards(index, ids.length, renderedRows(scroller, ids), scroller.scrollHeight);
          scroller.scrollTop = Math.max(0, at - scroller.clientHeight / 2);
        }
      }
      if (--left > 0) frame = requestAnimationFrame(tick);
      else revealed(target);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [target]);
}
