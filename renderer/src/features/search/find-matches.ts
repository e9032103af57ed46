import { collapseWhitespace, visibleMarkdownText } from "./visible-text.js";

/** A match of find-in-conversation: the message it is in and its place in that message's text. */
export type FindMatch = { messageId: string; start: number; end: number };

/** Longest text find looks for: longer is almost certainly a paste, and would only slow every key press. */
export const MAX_FIND_CHARS = 500;

/** Each message's readable text, kept while its content is unchanged: find recounts on every key press. */
const readable = new Map<string, { content: string; text: string }>();

function searchableText(message: { id: string; content: string; markdown?: boolean }): string {
  if (!message.markdown) return collapseWhitespace(message.content);
  const kept = readable.get(message.id);
  if (kept?.content === message.content) return kept.text;
  if (readable.size > 20_000) readable.clear();
  const text = visibleMarkdownText(message.content);
  readable.set(message.id, { content: message.content, text });
  return text;
}

/** What find compares: lower case, whitespace runs as one space (line breaks in a paragraph read as spaces). */
export const findNeedle = (query: string): string => collapseWhitespace(query.slice(0, MAX_FIND_CHARS).toLocaleLowerCase());

/**
 * Every occurrence of `query` in the messages, in order, case-insensitive (plain text, no patterns). An empty
 * query finds nothing. Overlapping occurrences count once ("aa" in "aaa" is one match). A Markdown message is
 * searched as it reads, not as it is written: "very bold word" is found in "very **bold** word". Offsets are in
 * that text.
 */
export function findMatches(messages: readonly { id: string; content: string; markdown?: boolean }[], query: string): FindMatch[] {
  const needle = findNeedle(query);
  if (needle.trim() === "") return [];
  const matches: FindMatch[] = [];
  for (const message of messages) {
    const haystack = searchableText(message).toLocaleLowerCase();
    // Lower-casing can change a string's length (İ → i̇); then offsets are only approximate, which find tolerates.
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      matches.push({ messageId: message.id, start: at, end: at + needle.length });
    }
  }
  return matches;
}

/** The match after (step 1) or before (step -1) `current`, wrapping around; 0 when there are none. */
export function stepMatch(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return 0;
  return (((current + step) % count) + count) % count;
}

/** Which occurrence within its own message a match is (0 for the first in that message). */
export function occurrenceInMessage(matches: readonly FindMatch[], index: number): number {
  const match = matches[index];
  if (!match) return 0;
  let n = 0;
  for (let i = index - 1; i >= 0 && matches[i]!.messageId === match.messageId; i--) n++;
  return n;
}
