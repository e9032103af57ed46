import { useHearth } from "../../state/store.js";
import { FindBar } from "./FindBar.js";
import { SearchDialog } from "./SearchDialog.js";
import { useReveal } from "./use-reveal.js";

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
