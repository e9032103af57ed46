import type { ReactElement } from "react";

/** Blocks (a message is a few) whose rendered markdown is kept: many screens of a long chat scrolled back and forth. */
const MAX_ENTRIES = 4000;

/**
 * The markdown of finished blocks of messages, parsed once: a virtualized list mounts a message again each time it scrolls
 * back into view, and parsing (GFM, highlighting) is the costly part of showing it. Keyed by the text and the link
 * handler it was rendered with; least recently used entries go first.
 */
export class RenderedMarkdownCache {
  private readonly entries = new Map<string, { onOpenLink: unknown; element: ReactElement }>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(text: string, onOpenLink: unknown, render: () => ReactElement): ReactElement {
    return this.peek(text, onOpenLink) ?? this.put(text, onOpenLink, render());
  }

  /** The kept rendering, if any (and it counts as used). */
  peek(text: string, onOpenLink: unknown): ReactElement | undefined {
    const hit = this.entries.get(text);
    if (!hit || hit.onOpenLink !== onOpenLink) return undefined;
    // Most recently used goes last, so the oldest is first to leave.
    this.entries.delete(text);
    this.entries.set(text, hit);
    return hit.element;
  }

  put(text: string, onOpenLink: unknown, element: ReactElement): ReactElement {
    this.entries.delete(text);
    this.entries.set(text, { onOpenLink, element });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return element;
  }

  get size(): number {
    return this.entries.size;
  }
}
