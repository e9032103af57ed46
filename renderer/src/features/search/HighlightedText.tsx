import type { SearchHighlight } from "../../api/contract.js";
import { highlightParts } from "./highlight-parts.js";

/** Text with its hits in <mark> elements: React text nodes only, so a snippet can never become markup. */
export function HighlightedText({ text, highlights }: { text: string; highlights: readonly SearchHighlight[] }) {
  return (
    <>
      {highlightParts(text, highlights).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}
