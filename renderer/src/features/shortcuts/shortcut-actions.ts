import { newChat, reportInfo, stopGeneration } from "../../state/actions.js";
import { openFind, openSearch } from "../../state/search-actions.js";
import { lastMessageOf } from "../../state/selectors.js";
import { useHearth, type HearthState } from "../../state/store.js";
import type { ShortcutId } from "./keyboard-shortcuts.js";

const get = useHearth.getState;
const set = useHearth.setState;

/** The open conversation's messages on its shown branch, newest last. */
function shownMessages(state: HearthState) {
  const id = state.view === "chat" ? state.activeConversationId : null;
  const ids = id ? (state.messages.idsByConversation[id] ?? []) : [];
  return ids.map((messageId) => state.messages.byId[messageId]).filter((m) => m !== undefined);
}

function generating(state: HearthState): string | null {
  const id = state.view === "chat" ? state.activeConversationId : null;
  return id && lastMessageOf(state, id)?.status === "streaming" ? id : null;
}

async function copyLastAnswer(clipboard: Pick<Clipboard, "writeText"> | undefined): Promise<void> {
  const answer = shownMessages(get()).findLast((m) => m.role === "assistant" && m.content.trim() !== "");
  if (!answer) {
    reportInfo("There is no answer to copy yet.");
    return;
  }
  try {
    if (!clipboard) throw new Error("no clipboard");
    await clipboard.writeText(answer.content);
    reportInfo("Copied the last answer.");
  } catch {
    reportInfo("Hearth could not copy to the clipboard here. Use Copy under the answer instead.");
  }
}

/**
 * Does what a shortcut asks. Returns whether it acted: when it did not (Esc with nothing to stop, ↑ with no
 * message to edit), the key keeps its usual meaning.
 */
export function runShortcut(id: ShortcutId, clipboard?: Pick<Clipboard, "writeText">): boolean {
  const state = get();
  switch (id) {
    case "new-chat":
      set({ shortcutsOpen: false });
      void newChat();
      return true;
    case "search":
      set({ shortcutsOpen: false });
      openSearch();
      return true;
    case "find":
      // Outside a chat the browser's own find stays.
      if (state.view !== "chat" || state.activeConversationId === null) return false;
      set({ shortcutsOpen: false });
      openFind();
      return true;
    case "stop": {
      if (state.shortcutsOpen) {
        set({ shortcutsOpen: false });
        return true;
      }
      const conversationId = generating(state);
      if (!conversationId) return false;
      void stopGeneration(conversationId);
      return true;
    }
    case "copy-last-answer":
      void copyLastAnswer(clipboard ?? (globalThis.navigator as Navigator | undefined)?.clipboard);
      return true;
    case "edit-last-message": {
      if (generating(state)) return false;
      const message = shownMessages(state).findLast((m) => m.role === "user");
      if (!message) return false;
      set({ editRequestId: message.id });
      return true;
    }
    case "shortcuts":
      set({ shortcutsOpen: !state.shortcutsOpen });
      return true;
    default:
      return id satisfies never;
  }
}

/** The inline editor took the request (or the message is gone): forget it. */
export function clearEditRequest(): void {
  set({ editRequestId: null });
}
