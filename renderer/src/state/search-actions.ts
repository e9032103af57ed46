import type { SearchResult } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { findMatches, stepMatch } from "../features/search/find-matches.js";
import { openConversation } from "./actions.js";
import { loadOlderMessages } from "./older-messages-actions.js";
import { reportError, toAppError } from "./notices.js";
import { emptyFindState } from "./search-state.js";
import { useHearth, type HearthState } from "./store.js";

const set = useHearth.setState;
const get = useHearth.getState;

/** Results shown at most in the dialog. */
export const SEARCH_RESULT_LIMIT = 30;

/** Opens the search dialog (Ctrl/Cmd+K), with the last search still in it. */
export function openSearch(): void {
  set((s) => ({ search: { ...s.search, open: true } }));
}

export function closeSearch(): void {
  set((s) => ({ search: { ...s.search, open: false } }));
}

/** Only the latest search may fill the dialog: an older, slower answer is dropped. */
let latest = 0;

export async function runSearch(query: string): Promise<void> {
  const mine = ++latest;
  if (query.trim() === "") {
    set((s) => ({ search: { ...s.search, query, results: [], status: "idle", error: null, selected: 0 } }));
    return;
  }
  set((s) => ({ search: { ...s.search, query, status: "loading", error: null } }));
  try {
    const { results } = await getApi().searchConversations({ query, limit: SEARCH_RESULT_LIMIT });
    if (mine !== latest) return;
    set((s) => ({ search: { ...s.search, results, status: "done", selected: 0 } }));
  } catch (error) {
    if (mine !== latest) return;
    // Shown in the dialog under the field (too long, too many words), not as a notice.
    set((s) => ({ search: { ...s.search, results: [], status: "error", error: toAppError(error).message } }));
  }
}

/** Arrow keys in the dialog: moves the selected row, wrapping. */
export function moveSearchSelection(step: 1 | -1): void {
  set((s) => ({ search: { ...s.search, selected: stepMatch(s.search.selected, s.search.results.length, step) } }));
}

/**
 * Opens a hit: a message hit first becomes the shown version (the core's setActiveVersion, so its branch is the
 * one loaded), then the conversation opens and the chat scrolls to the message.
 */
export async function openSearchResult(result: SearchResult): Promise<void> {
  closeSearch();
  if (result.messageId) {
    try {
      await getApi().selectVersion({ conversationId: result.conversationId, messageId: result.messageId });
    } catch (error) {
      // Still open the conversation (e.g. it is answering, so the branch cannot change now).
      reportError(error);
    }
  }
  await openConversation(result.conversationId);
  if (!result.messageId) return;
  // A long conversation opens at its latest page: older pages load until the message is there (or none are left).
  for (let page = 0; page < MAX_PAGES_TO_REVEAL && !isLoaded(result.conversationId, result.messageId); page++) {
    if (get().olderMessages[result.conversationId] !== "more") break;
    await loadOlderMessages(result.conversationId);
  }
  set({ revealMessageId: result.messageId });
}

/** Pages (of OLDER_PAGE messages) fetched at most to reach a hit far back in a long conversation. */
const MAX_PAGES_TO_REVEAL = 100;

const isLoaded = (conversationId: string, messageId: string) =>
  get().messages.idsByConversation[conversationId]?.includes(messageId) === true;

/** The chat scrolled to the message; nothing more to reveal. */
export function revealed(messageId: string): void {
  if (get().revealMessageId === messageId) set({ revealMessageId: null });
}

// --- find in the open conversation (Ctrl/Cmd+F)

/** The loaded messages of the open conversation, in the order shown. */
function shownMessages(state: HearthState): { id: string; content: string }[] {
  const id = state.activeConversationId;
  if (!id) return [];
  return (state.messages.idsByConversation[id] ?? []).flatMap((mid) => {
    const message = state.messages.byId[mid];
    return message ? [{ id: message.id, content: message.content }] : [];
  });
}

export function selectFindMatches(state: HearthState) {
  return findMatches(shownMessages(state), state.find.query);
}

export function openFind(): void {
  set((s) => ({ find: { ...s.find, open: true } }));
}

export function closeFind(): void {
  set({ find: emptyFindState });
}

/** New text: the current match is the first one, revealed. */
export function setFindQuery(query: string): void {
  set((s) => ({ find: { ...s.find, query, current: 0 } }));
  revealCurrentMatch();
}

/** Next (1) or previous (-1) match, wrapping, revealed. */
export function stepFind(step: 1 | -1): void {
  const count = selectFindMatches(get()).length;
  set((s) => ({ find: { ...s.find, current: stepMatch(s.find.current, count, step) } }));
  revealCurrentMatch();
}

function revealCurrentMatch(): void {
  const state = get();
  const match = selectFindMatches(state)[state.find.current];
  if (match) set({ revealMessageId: match.messageId });
}
