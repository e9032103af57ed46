/**
 * Most JSON tokens (`{ [ , :` outside strings) a request may have. JSON.parse turns a 16 MiB frame of `[[[[…` or
 * `[{},{},…` into ~500 MB of objects and seconds of work; a real request has a few thousand tokens (the largest,
 * an edited payload of 2,000 messages, about 12,000), so this bounds parsing to a few MB over the frame itself.
 */
export const MAX_JSON_TOKENS = 100_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const structural = new Uint8Array(256);
for (const char of "{[,:") structural[char.charCodeAt(0)] = 1;

/** Whether `frame` (UTF-8 JSON) has at most `limit` structural tokens; one pass, no allocation. */
export function withinJsonTokens(frame: Uint8Array, limit = MAX_JSON_TOKENS): boolean {
  let tokens = 0;
  let inString = false;
  for (let i = 0; i < frame.length; i++) {
    const byte = frame[i]!;
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (structural[byte] === 1 && ++tokens > limit) {
      return false;
    }
  }
  return true;
}
