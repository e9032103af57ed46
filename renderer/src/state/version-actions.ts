import { getApi } from "../api/get-api.js";
import { showProposal } from "./escalation-actions.js";
import { setConversationMessages, upsertMessage } from "./messages-state.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

// The conversation tree from the UI: each call returns (or is followed by a branch-changed event with) the branch
// the core now shows, which replaces the conversation's messages here.

const set = useHearth.setState;

function showBranch(conversationId: string, messages: Parameters<typeof setConversationMessages>[2]): void {
  set((s) => ({ messages: setConversationMessages(s.messages, conversationId, messages) }));
}

/** `‹ 2/3 ›`: shows the branch through another version of a message. */
export async function selectVersion(conversationId: string, messageId: string): Promise<void> {
  try {
    const { messages } = await getApi().selectVersion({ conversationId, messageId });
    showBranch(conversationId, messages);
  } catch (error) {
    reportError(error);
  }
}

/**
 * Continues a cut-off answer: a new version beside it starts with its text and streams the rest, as chat events (a
 * message-start for the new version, then deltas), so there is nothing to show here but an error.
 */
export async function continueAnswer(conversationId: string, messageId: string): Promise<void> {
  try {
    await getApi().continueAnswer({ conversationId, messageId });
  } catch (error) {
    reportError(error);
  }
}

/** Saves an edit as a new version of the user's message, answered like a new message. Resolves true once stored. */
export async function editMessage(conversationId: string, messageId: string, content: string): Promise<boolean> {
  try {
    const { userMessage, proposal } = await getApi().editMessage({ conversationId, messageId, content });
    set((s) => ({ messages: upsertMessage(s.messages, userMessage) }));
    if (proposal) showProposal(conversationId, proposal);
    return true;
  } catch (error) {
    reportError(error);
    return false;
  }
}

/** How many messages a delete would remove (it and everything below it, every version); null if it cannot be asked. */
export async function countMessagesToDelete(conversationId: string, messageId: string): Promise<number | null> {
  try {
    return (await getApi().deleteMessage({ conversationId, messageId, dryRun: true })).deletedCount;
  } catch (error) {
    reportError(error);
    return null;
  }
}

export async function deleteMessage(conversationId: string, messageId: string): Promise<void> {
  try {
    const { messages } = await getApi().deleteMessage({ conversationId, messageId });
    showBranch(conversationId, messages);
  } catch (error) {
    reportError(error);
  }
}
