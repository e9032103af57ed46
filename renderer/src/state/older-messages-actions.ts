import { AppError } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { prependMessages } from "./messages-state.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

/** Messages a conversation opens with: a few screens, so the latest are painted at once however long the chat. */
export const FIRST_PAGE = 60;
/** Messages fetched each time the user scrolls near the top of what is loaded. */
export const OLDER_PAGE = 100;
/** The most one request may ask for (the contract's bound). */
const MAX_PAGE = 1000;

/** How many messages a reload asks for: at least a page, and as many as are shown, so reading back stays put. */
export function reloadLimit(conversationId: string): number {
  const shown = useHearth.getState().messages.idsByConversation[conversationId]?.length ?? 0;
  return Math.min(MAX_PAGE, Math.max(FIRST_PAGE, shown));
}

/** Loads the page above the first message shown; one request at a time per conversation. */
export async function loadOlderMessages(conversationId: string): Promise<void> {
  const state = useHearth.getState();
  const first = state.messages.idsByConversation[conversationId]?.[0];
  if (state.olderMessages[conversationId] !== "more" || first === undefined) return;
  const mark = (value: "more" | "loading" | null) =>
    useHearth.setState((s) => {
      const olderMessages = { ...s.olderMessages };
      if (value === null) delete olderMessages[conversationId];
      else olderMessages[conversationId] = value;
      return { olderMessages };
    });
  mark("loading");
  try {
    const page = await getApi().getConversation({ conversationId, before: first, limit: OLDER_PAGE });
    useHearth.setState((s) => ({ messages: prependMessages(s.messages, conversationId, page.messages) }));
    mark(page.hasOlder === true ? "more" : null);
  } catch (error) {
    // The branch changed under us (another window chose a version): the reload that follows brings the new one.
    mark(error instanceof AppError && error.code === "NOT_FOUND" ? null : "more");
    if (!(error instanceof AppError && error.code === "NOT_FOUND")) reportError(error);
  }
}

/** The flags with `conversationId` marked as having older messages to fetch, or not. */
export function withOlder(flags: Record<string, "more" | "loading">, conversationId: string, hasOlder: boolean): Record<string, "more" | "loading"> {
  if (hasOlder === (flags[conversationId] !== undefined)) return flags;
  const next = { ...flags };
  if (hasOlder) next[conversationId] = "more";
  else delete next[conversationId];
  return next;
}
