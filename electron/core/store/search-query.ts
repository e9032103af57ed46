import { AppError, type SearchHighlight } from "../../contract/index.js";
import { MAX_SEARCH_QUERY_CHARS, MAX_SEARCH_TERMS } from "../../contract/search.js";

/**
 * What the user typed, as an FTS5 MATCH expression that cannot be anything but a list of terms: every word becomes
 * a quoted string (so FTS5 operators, column filters, parentheses and stray quotes are plain text) matched as a
 * prefix; a "quoted phrase" matches as that exact phrase. Terms must all match. Null when nothing is searchable
 * (only punctuation or spaces). Too long or too many terms is INVALID_INPUT, never an SQL error.
 */
export function toMatchQuery(input: string): string | null {
  if (input.length > MAX_SEARCH_QUERY_CHARS) {
    throw new AppError("INVALID_INPUT", `A search may be at most ${MAX_SEARCH_QUERY_CHARS} characters.`);
  }
  const terms: string[] = [];
  for (const match of input.normalize("NFC").matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const phrase = match[1];
    const word = match[2];
    const text = phrase ?? word ?? "";
    // The tokenizer drops everything but letters and numbers; a term without any would match nothing (or all).
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    const quoted = `"${text.replaceAll('"', '""')}"`;
    terms.push(phrase !== undefined ? quoted : `${quoted}*`);
  }
  if (terms.length > MAX_SEARCH_TERMS) {
    throw new AppError("INVALID_INPUT", `Search for at most ${MAX_SEARCH_TERMS} words at a time.`);
  }
  return terms.length > 0 ? terms.join(" ") : null;
}

/**
 * Marks snippet() puts around each hit: private-use characters, so the snippet stays plain text and the hits come
 * back as offsets. A message that itself contains them only loses them from its snippet.
 */
export const HIT_OPEN = "\uE000";
export const HIT_CLOSE = "\uE001";

/** A snippet with marks → its plain text and the hit ranges in it. */
export function parseSnippet(marked: string): { snippet: string; highlights: SearchHighlight[] } {
  let snippet = "";
  const highlights: SearchHighlight[] = [];
  let start: number | null = null;
  for (const char of marked) {
    if (char === HIT_OPEN) {
      start = snippet.length;
    } else if (char === HIT_CLOSE) {
      if (start !== null && snippet.length > start) highlights.push({ start, end: snippet.length });
      start = null;
    } else {
      snippet += char;
    }
  }
  return { snippet, highlights };
}
