import { AppError } from "../../contract/index.js";
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type SearchResult } from "../../contract/search.js";
import type { Db } from "./database.js";
import { HIT_CLOSE, HIT_OPEN, parseSnippet, toMatchQuery } from "./search-query.js";

type HitRow = {
  conversation_id: string; message_id: string | null; title: string; role: "user" | "assistant" | null; marked: string;
};

/** Title hits count this many times a hit in a message's text (bm25 column weights: title, body). */
const TITLE_WEIGHT = 4;
/** Tokens of context a snippet shows around the hits. */
const SNIPPET_TOKENS = 16;

/**
 * Full-text search over every conversation's title and every message (all versions, not only the active branch),
 * on the FTS5 index that schema step 6 builds and its triggers keep in step (database.ts).
 */
export class ConversationSearch {
  constructor(private readonly db: Db) {}

  search(query: string, limit = DEFAULT_SEARCH_LIMIT): SearchResult[] {
    const match = toMatchQuery(query);
    if (match === null) return [];
    const capped = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.trunc(limit)));
    let rows: HitRow[];
    try {
      // FTS5 sorts by rank itself and stops at the limit, so snippets are made only for the rows returned.
      rows = this.db
        .prepare(
          `WITH hits AS (
             SELECT rowid AS docid, rank, snippet(search_index, -1, ?, ?, '…', ?) AS marked
             FROM search_index WHERE search_index MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?
           )
           SELECT d.conversation_id, d.message_id, c.title, m.role, hits.marked
           FROM hits
           JOIN search_docs d ON d.docid = hits.docid
           JOIN conversations c ON c.id = d.conversation_id
           LEFT JOIN messages m ON m.id = d.message_id
           ORDER BY hits.rank`,
        )
        .all(HIT_OPEN, HIT_CLOSE, SNIPPET_TOKENS, match, `bm25(${TITLE_WEIGHT}, 1)`, capped) as HitRow[];
    } catch (error) {
      // The query is built only of quoted strings, so this should not happen; if it does, say so plainly.
      throw new AppError("INVALID_INPUT", "Hearth could not search for that. Try other words.", { cause: error });
    }
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      title: row.title,
      messageId: row.message_id,
      role: row.message_id === null ? null : row.role,
      ...parseSnippet(row.marked),
    }));
  }
}
