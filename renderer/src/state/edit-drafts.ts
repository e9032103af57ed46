import { useHearth } from "./store.js";

/** Opens (or changes) a user message's inline edit; null closes it. */
export function setEditDraft(messageId: string, text: string | null): void {
  useHearth.setState((state) => {
    if (text === null) {
      if (!(messageId in state.editDrafts)) return {};
      const { [messageId]: _closed, ...rest } = state.editDrafts;
      return { editDrafts: rest };
    }
    return { editDrafts: { ...state.editDrafts, [messageId]: text } };
  });
}
