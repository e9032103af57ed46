import { findNeedle } from "./find-matches.js";

/** A run of text as the page shows it; `block` when it starts a new block (paragraph, cell, item) from the last. */
export type TextSegment = { text: string; block: boolean };
/** Where an occurrence starts and ends: segment index and offset in that segment's text (end exclusive). */
export type SegmentSpan = { start: [number, number]; end: [number, number] };

/**
 * Every occurrence of `query` across the segments read as one text, case-insensitive, whitespace runs read as one
 * space and a block boundary as a space: an occurrence may run through several segments ("very " + "bold" + " word"
 * when the middle word is bold). Pure, so the DOM walk below stays thin.
 */
export function findInSegments(segments: readonly TextSegment[], query: string): SegmentSpan[] {
  const needle = findNeedle(query);
  if (needle.trim() === "") return [];
  // The flattened text, and for each of its characters the segment and offset it came from.
  let flat = "";
  const from: Array<[number, number]> = [];
  segments.forEach((segment, index) => {
    if (segment.block && flat !== "" && !flat.endsWith(" ")) {
      flat += " ";
      from.push([index, 0]);
    }
    const lower = segment.text.toLocaleLowerCase();
    // Lower-casing can change a string's length (İ → i̇); offsets are then clamped to the segment.
    for (let i = 0; i < lower.length; i++) {
      const c = lower[i]!;
      if (/\s/.test(c)) {
        if (flat.endsWith(" ") || flat === "") continue;
        flat += " ";
      } else flat += c;
      from.push([index, Math.min(i, segment.text.length - 1)]);
    }
  });
  const spans: SegmentSpan[] = [];
  for (let at = flat.indexOf(needle); at !== -1; at = flat.indexOf(needle, at + needle.length)) {
    const [endSegment, endOffset] = from[at + needle.length - 1]!;
    spans.push({ start: from[at]!, end: [endSegment, endOffset + 1] });
  }
  return spans;
}

const BLOCKS = new Set(["P", "LI", "TD", "TH", "PRE", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "DIV", "TR", "DT", "DD", "FIGCAPTION"]);

function blockOf(node: Node, root: Node): Node | null {
  for (let el = node.parentNode; el && el !== root; el = el.parentNode) if (BLOCKS.has(el.nodeName)) return el;
  return root;
}

/**
 * DOM ranges of every case-insensitive occurrence of `query` in the text under `root`, in document order, matched
 * as the text reads: an occurrence that crosses markup (part of it bold, a link or inline code) is one range.
 */
export function textRanges(root: Node, query: string): Range[] {
  if (findNeedle(query).trim() === "") return [];
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  const segments: TextSegment[] = [];
  let lastBlock: Node | null = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blockOf(node, root);
    nodes.push(node as Text);
    segments.push({ text: node.nodeValue ?? "", block: block !== lastBlock });
    lastBlock = block;
  }
  return findInSegments(segments, query).map(({ start, end }) => {
    const range = doc.createRange();
    range.setStart(nodes[start[0]]!, start[1]);
    range.setEnd(nodes[end[0]]!, Math.min(end[1], nodes[end[0]]!.length));
    return range;
  });
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
