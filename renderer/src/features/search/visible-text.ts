/**
 * The text a reader sees of a Markdown answer, near enough for find-in-conversation to count matches the way they
 * read: emphasis, strikethrough, inline-code backticks, link and image syntax, heading, quote and list markers,
 * table pipes, code fences and raw HTML (which the renderer drops) are left out; escapes show their character.
 * Whitespace runs are one space, as the rendered text reads. Cheap on purpose (no parse): it runs over every loaded
 * message as the user types.
 */
export function visibleMarkdownText(markdown: string): string {
  const out: string[] = [];
  let inFence: string | null = null;
  for (const line of markdown.split("\n")) {
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (inFence === null) inFence = fence[1]!.charAt(0);
      else if (fence[1]!.charAt(0) === inFence) inFence = null;
      out.push("");
      continue;
    }
    out.push(inFence !== null ? line : visibleLine(line));
  }
  return collapseWhitespace(out.join("\n"));
}

/** Whitespace runs as one space (what find compares, in the source and on screen alike). */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ");
}

// Escaped punctuation is parked on private-use characters while the syntax around it is removed.
const PARK = 0xe000;
const park = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => String.fromCharCode(PARK + c.charCodeAt(0)));
const unpark = (text: string, escaped = "") => text.replace(/[\ue000-\ue07f]/g, (c) => escaped + String.fromCharCode(c.charCodeAt(0) - PARK));

function visibleLine(line: string): string {
  let text = park(line);
  // Table separator rows show nothing; a table row's pipes are cell borders.
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(text) && text.includes("-")) return "";
  text = text
    .replace(/^\s{0,3}#{1,6}\s+/, "")
    .replace(/^\s{0,3}(>\s?)+/, "")
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?/, "");
  if (/^\s*\|/.test(text)) text = text.replace(/\|/g, " ");
  // Inline code shows as typed: it is set aside before emphasis is removed from the rest.
  return text
    .split(/(`+)([^`]*?)\1/)
    // In code a backslash is only a backslash.
    .map((part, i) => (i % 3 === 2 ? unpark(part, "\\") : i % 3 === 1 ? "" : unpark(inlineText(part))))
    .join("");
}

function inlineText(text: string): string {
  let out = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "");
  // Paired delimiters only: a lone `*` or `2 * 3` shows as typed. Underscores only at word edges (snake_case stays).
  for (let pass = 0; pass < 3; pass++) {
    const before = out;
    out = out
      .replace(/(\*{1,3}|~~)(?=\S)([^]*?\S)\1/g, "$2")
      .replace(/(^|[^\p{L}\p{N}_])(_{1,3})(?=\S)([^]*?\S)\2(?![\p{L}\p{N}_])/gu, "$1$3");
    if (out === before) break;
  }
  return out;
}
