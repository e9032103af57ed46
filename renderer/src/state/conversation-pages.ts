import { AppError, type Conversation } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { reportError } from "./notices.js";
import { useHearth, type HearthState } from "./store.js";

/** Conversations the sidebar asks for at a time: a few screens of it. Thousands of chats load as the list scrolls. */
export const CONVERSATION_PAGE = 100;
/** The most one request may ask for (the contract's bound). */
const MAX_PAGE = 1000;

/** The last conversation of the last page read: the next page starts after it. Null before the first page. */
let cursor: string | null = null;

const byId = (list: readonly Conversation[]) => Object.fromEntries(list.map((c) => [c.id, c]));

/**
 * The newest conversations, as many as are shown (at least a page), so a reload (the link to the core came back,
 * an import) keeps the list the user scrolled through. The open conversation stays even when it is older.
 */
export async function loadConversations(): Promise<void> {
  const shown = Object.keys(useHearth.getState().conversations).length;
  const limit = Math.min(MAX_PAGE, Math.max(CONVERSATION_PAGE, shown));
  const list = await getApi().listConversations({ limit });
  cursor = list.at(-1)?.id ?? null;
  useHearth.setState((s) => {
    const conversations = byId(list);
    const active = s.activeConversationId ? s.conversations[s.activeConversationId] : undefined;
    if (active && !conversations[active.id]) conversations[active.id] = active;
    return { conversations, conversationsLoaded: true, conversationsMore: list.length === limit ? "more" : null };
  });
}

/** The next page of the list, after the last one read; one request at a time. */
export async function loadMoreConversations(): Promise<void> {
  if (useHearth.getState().conversationsMore !== "more" || cursor === null) return;
  const after = cursor;
  useHearth.setState({ conversationsMore: "loading" });
  try {
    const page = await getApi().listConversations({ before: after, limit: CONVERSATION_PAGE });
    cursor = page.at(-1)?.id ?? after;
    useHearth.setState((s) => {
      // A conversation changed since the page was read keeps its newer copy (from the core's events).
      const fresh = page.filter((c) => !(s.conversations[c.id] && s.conversations[c.id]!.updatedAt > c.updatedAt));
      return { conversations: { ...s.conversations, ...byId(fresh) }, conversationsMore: page.length === CONVERSATION_PAGE ? "more" : null };
    });
  } catch (error) {
    useHearth.setState({ conversationsMore: "more" });
    // The page's last conversation was deleted meanwhile: read the list again from the top.
    if (error instanceof AppError && error.code === "NOT_FOUND") await loadConversations().catch(reportError);
    else reportError(error);
  }
}

let sorted: { from: HearthState["conversations"]; ids: string[] } | null = null;

/**
 * Newest first, sorted again only when a conversation changes: the store changes many times a second while an answer
 * streams, and sorting thousands each time is what made every one of those updates slow. The same array until then.
 */
export function selectSortedConversationIds(state: HearthState): string[] {
  if (sorted?.from !== state.conversations) {
    const ids = Object.values(state.conversations)
      .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((c) => c.id);
    sorted = { from: state.conversations, ids };
  }
  return sorted.ids;
}
