import { z } from "zod";
import { idSchema } from "./schemas.js";

/** Longest search text accepted; longer input is refused with INVALID_INPUT before it reaches the index. */
export const MAX_SEARCH_QUERY_CHARS = 200;
/** Most words (or quoted phrases) in one search. */
export const MAX_SEARCH_TERMS = 16;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

/** A hit inside `snippet`, as UTF-16 offsets [start, end): the renderer wraps it in <mark>, never parses HTML. */
export const searchHighlightSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type SearchHighlight = z.infer<typeof searchHighlightSchema>;

/** One hit: a message (messageId set) or a conversation's title (messageId and role null). Best first. */
export const searchResultSchema = z.object({
  conversationId: idSchema,
  title: z.string(),
  messageId: idSchema.nullable(),
  role: z.enum(["user", "assistant"]).nullable(),
  /** Plain text around the hits ("…" where it was cut). */
  snippet: z.string(),
  highlights: z.array(searchHighlightSchema),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchConversationsInput = z
  .object({
    query: z
      .string()
      .max(MAX_SEARCH_QUERY_CHARS, `A search may be at most ${MAX_SEARCH_QUERY_CHARS} characters`),
    limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional(),
  })
  .strict();

export const searchConversationsOutput = z.object({ results: z.array(searchResultSchema) });
