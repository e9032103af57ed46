/** A word, number or punctuation mark with its place in the text. */
export type Token = {
  text: string;
  start: number;
  end: number;
  /** Only whitespace between the previous line break (or the text's start) and this token. */
  lineStart: boolean;
  /** Only whitespace between this token and the next line break (or the text's end). */
  lineEnd: boolean;
};

// Words keep inner apostrophes, hyphens and dots ("O'Neil", "Kędzierzyn-Koźle", "e.g"); other marks stand alone.
// A possessive "'s" is its own token, so "Yefremova's" redacts to "[PERSON_1]'s".
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:(?:['’](?![sS](?![\p{L}\p{M}\p{N}]))|[\-.])[\p{L}\p{M}\p{N}]+)*|['’][sS](?![\p{L}\p{M}\p{N}])|[^\s\p{L}\p{M}\p{N}]/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    const brokeLine = tokens.length === 0 || text.slice(previousEnd, start).includes("\n");
    const last = tokens[tokens.length - 1];
    if (last) last.lineEnd = brokeLine;
    tokens.push({ text: m[0], start, end: start + m[0].length, lineStart: brokeLine, lineEnd: true });
    previousEnd = start + m[0].length;
  }
  return tokens;
}
