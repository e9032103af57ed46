/** A match of find-in-conversation: the message it is in and its place in that message's text. */
export type FindMatch = { messageId: string; start: number; end: number };

/** Longest text find looks for: longer is almost certainly a paste, and would only slow every key press. */
export const MAX_FIND_CHARS = 500;

/**
 * Every occurrence of `query` in the messages, in order, case-insensitive (plain text, no patterns). An empty
 * query finds nothing. Overlapping occurrences count once ("aa" in "aaa" is one match).
 */
export function findMatches(messages: readonly { id: string; content: string }[], query: string): FindMatch[] {
  const needle = query.slice(0, MAX_FIND_CHARS).toLocaleLowerCase();
  if (needle.trim() === "") return [];
  const matches: FindMatch[] = [];
  for (const message of messages) {
    const haystack = message.content.toLocaleLowerCase();
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
