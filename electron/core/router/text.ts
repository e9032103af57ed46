/** Small text helpers shared by the router's feature extractors. */

/** log1p(x) scaled so that `full` maps to 1. */
export function soft(x: number, full: number): number {
  return Math.log1p(x) / Math.log1p(full);
}

export function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

const TOKEN_RE = /[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*|[^\s\p{L}\p{N}]/gu;

/**
 * Lower-cased tokens (or as written, with `keepCase`); numbers become shapes ("<num1>", "<num2>", "<num3>",
 * "<numdec>") so they generalise.
 */
export function tokenize(text: string, keepCase = false): string[] {
  const out: string[] = [];
  for (const match of (keepCase ? text : text.toLowerCase()).matchAll(TOKEN_RE)) {
    const tok = match[0];
    const c = tok.charCodeAt(0);
    if (c >= 48 && c <= 57) out.push(numberShape(tok));
    else if (/^\p{N}/u.test(tok)) out.push("<num1>");
    else out.push(tok);
  }
  return out;
}

function numberShape(tok: string): string {
  if (tok.includes(".") || tok.includes(",")) return "<numdec>";
  return tok.length === 1 ? "<num1>" : tok.length === 2 ? "<num2>" : "<num3>";
}
