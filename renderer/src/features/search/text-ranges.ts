/**
 * DOM ranges of every case-insensitive occurrence of `query` in the text under `root`, in document order. Text is
 * matched per text node, so an occurrence split by markup (half of it bold) is not found; find accepts that.
 */
export function textRanges(root: Node, query: string): Range[] {
  const needle = query.toLocaleLowerCase();
  if (needle.trim() === "") return [];
  const ranges: Range[] = [];
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.nodeValue ?? "").toLocaleLowerCase();
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      const range = doc.createRange();
      range.setStart(node, at);
      range.setEnd(node, Math.min(at + needle.length, node.nodeValue!.length));
      ranges.push(range);
    }
  }
  return ranges;
}

type HighlightRegistry = { set(name: string, highlight: unknown): void; delete(name: string): void };
type HighlightCtor = new (...ranges: Range[]) => unknown;

/**
 * Paints ranges with the CSS Custom Highlight API (`::highlight(name)` in search.css): nothing is inserted into
 * the messages' DOM, so markdown and React stay untouched. Where the API is missing nothing is painted.
 */
export function paintHighlight(name: string, ranges: readonly Range[]): void {
  const registry = (globalThis.CSS as unknown as { highlights?: HighlightRegistry } | undefined)?.highlights;
  const Highlight = (globalThis as unknown as { Highlight?: HighlightCtor }).Highlight;
  if (!registry || !Highlight) return;
  if (ranges.length === 0) registry.delete(name);
  else registry.set(name, new Highlight(...ranges));
}
