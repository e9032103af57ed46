import type { Handlers } from "../dispatch.js";
import { ConversationSearch } from "../store/conversation-search.js";
import type { Store } from "../store/store.js";

type SearchHandlers = Pick<Handlers, "searchConversations">;

/** The contract's search method: full-text search over every conversation (conversation-search.ts). */
export function searchHandlers(deps: { store: Pick<Store, "db"> }): SearchHandlers {
  return {
    async searchConversations({ query, limit }) {
      // Statements are prepared per call on the store's connection, which a restored backup may replace.
      return { results: new ConversationSearch(deps.store.db).search(query, limit) };
    },
  };
}
