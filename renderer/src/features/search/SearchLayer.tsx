import { useEffect } from "react";
import { revealed } from "../../state/search-actions.js";
import { useHearth } from "../../state/store.js";
import { FindBar } from "./FindBar.js";
import { SearchDialog } from "./SearchDialog.js";

/** Frames to wait for a message to be shown (its conversation loading) before giving up on scrolling to it. */
const REVEAL_FRAMES = 120;

/** Scrolls the chat to `revealMessageId` once it is in the page, and flashes it. */
function useReveal(): void {
  const target = useHearth((s) => s.revealMessageId);
  useEffect(() => {
    if (!target) return;
    let frame = 0;
    let left = REVEAL_FRAMES;
    let settled = 0;
    const tick = () => {
      const element = document.querySelector<HTMLElement>(`[data-testid="message-list"] [data-message-id="${CSS.escape(target)}"]`);
      if (element) {
        const box = element.getBoundingClientRect();
        const visible = box.bottom > 0 && box.top < window.innerHeight;
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
      }
      if (--left > 0) frame = requestAnimationFrame(tick);
      else revealed(target);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [target]);
}

/**
 * Search (Ctrl/Cmd+K) and find (Ctrl/Cmd+F): the dialog, the find bar, scrolling to a hit. Their keys are matched
 * with the app's other shortcuts, in features/shortcuts/.
 */
export function SearchLayer() {
  const canFind = useHearth((s) => s.view === "chat" && s.activeConversationId !== null);
  useReveal();
  return (
    <>
      <SearchDialog />
      {canFind && <FindBar />}
    </>
  );
}
