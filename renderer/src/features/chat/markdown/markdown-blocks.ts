/**
 * A message's markdown cut into its top-level blocks, so each is parsed once and on its own: a long answer never
 * costs one long parse, a streaming answer re-parses only its last block, and a chat scrolled into view parses a
 * few blocks a frame. A cut is made only where it cannot change the result: at a blank line outside fenced code and
 * math, before a line that starts a new block at the margin (not indented, which would continue a list item, and not
 * a list item, which would split one list in two). Text whose parts refer to each other (link definitions,
 * footnotes) or holds raw HTML blocks is kept whole: null.
 */

const fence = /^ {0,3}(`{3,}|~{3,})/;
const mathFence = /^ {0,3}\$\$/;
const listItem = /^([-*+]|\d{1,9}[.)])(\s|$)/;
const keepWhole = /^ {0,3}(\[[^\]\n]+\]:|\[\^[^\]\n]+\]|<)/m;

export function splitBlocks(text: string): string[] | null {
  if (keepWhole.test(text)) return null;
  const lines = text.split("\n");
  const blocks: string[] = [];
  let start = 0;
  let open: string | null = null;
  let blank = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open !== null) {
      // A fence closes with the same character, at least as long; math with $$.
      const closing = open === "$$" ? mathFence.test(line) : line.trimStart().startsWith(open) && line.trim().replace(/[`~]/g, "") === "";
      if (closing) open = null;
      continue;
    }
    if (line.trim() === "") {
      blank = true;
      continue;
    }
    if (blank && i > start && !/^\s/.test(line) && !listItem.test(line)) {
      const block = lines.slice(start, i).join("\n").trimEnd();
      if (block !== "") blocks.push(block);
      start = i;
    }
    blank = false;
    const opened = fence.exec(line);
    if (opened) open = opened[1]!;
    else if (mathFence.test(line) && !/^ {0,3}\$\$.*\$\$\s*$/.test(line)) open = "$$";
  }
  const last = lines.slice(start).join("\n").trimEnd();
  if (last !== "" || blocks.length === 0) blocks.push(last);
  return blocks;
}
