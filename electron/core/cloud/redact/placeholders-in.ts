import type { RedactionInfo } from "../../../contract/index.js";
import { typeOfPlaceholder, type PlaceholderMap } from "./placeholders.js";

const placeholderShape = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

/**
 * The contract's RedactionInfo for one payload message: each placeholder of the conversation's map that stands in
 * `redacted` (the text that leaves), with ITS offsets in `redacted` and the value it hides. Not the redactor's own
 * `Redaction` offsets: those point into the text before redaction, and drift by the difference in length of every
 * value replaced before them. Once per placeholder and message (the preview marks its other occurrences by shape),
 * so a payload dense with one value does not carry that value thousands of times. Every placeholder in the text is
 * reported, not only the redactor's new finds: an edited payload still holds the first preview's placeholders.
 */
export function placeholdersIn(redacted: string, messageIndex: number, map: PlaceholderMap): RedactionInfo[] {
  const valueOf = new Map<string, string>();
  for (const [value, placeholder] of Object.entries(map.byValue)) if (!valueOf.has(placeholder)) valueOf.set(placeholder, value);
  const found: RedactionInfo[] = [];
  const seen = new Set<string>();
  for (const match of redacted.matchAll(placeholderShape)) {
    const original = valueOf.get(match[0]);
    if (original === undefined || seen.has(match[0])) continue;
    seen.add(match[0]);
    const type = typeOfPlaceholder(match[0]) ?? match[0].slice(1, match[0].lastIndexOf("_"));
    found.push({ type, placeholder: match[0], original, messageIndex, start: match.index, end: match.index + match[0].length });
  }
  return found;
}
