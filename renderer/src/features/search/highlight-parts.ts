import type { SearchHighlight } from "../../api/contract.js";

export type TextPart = { text: string; hit: boolean };

/**
 * A snippet cut into plain and highlighted parts from the core's ranges. Ranges out of bounds, empty, overlapping
 * or out of order are clamped or skipped, so a bad range can only lose a highlight, never text.
 */
export function highlightParts(text: string, highlights: readonly SearchHighlight[]): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    const from = Math.max(at, Math.min(start, text.length));
    const to = Math.min(end, text.length);
    if (to <= from) continue;
    if (from > at) parts.push({ text: text.slice(at, from), hit: false });
    parts.push({ text: text.slice(from, to), hit: true });
    at = to;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
