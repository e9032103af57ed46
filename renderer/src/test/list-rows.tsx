import { messageRows } from "../features/chat/MessageList.js";
import { selectContextCut } from "../features/chat/context-cut.js";
import { selectMessageIds } from "../state/selectors.js";
import { useHearth } from "../state/store.js";

/**
 * Every row of a conversation's message list as the store holds it, without the virtualizer (which renders no rows
 * outside a browser): what the list shows once scrolled over.
 */
export function listRows(conversationId: string) {
  const state = useHearth.getState();
  return messageRows(conversationId, selectMessageIds(conversationId)(state), selectContextCut(conversationId)(state));
}
