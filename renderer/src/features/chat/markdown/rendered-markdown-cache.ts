import type { ReactElement } from "react";

/** Finished messages whose rendered markdown is kept: a few screens' worth of a long chat scrolled back and forth. */
const MAX_ENTRIES = 400;

/**
 * The markdown of finished messages, parsed once: a virtualized list mounts a message again each time it scrolls
 * back into view, and parsing (GFM, highlighting) is the costly part of showing it. Keyed by the text and the link
 * handler it was rendered with; least recently used entries go first.
 */
export class RenderedMarkdownCache {
  private readonly entries = new Map<string, { onOpenLink: unknown; element: ReactElement }>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(text: string, onOpenLink: unknown, render: () => ReactElement): ReactElement {
    const hit = this.entries.get(text);
    if (hit && hit.onOpenLink === onOpenLink) {
      // Most recently used goes last, so the oldest is first to leave.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit.element;
    }
    const element = render();
    this.entries.delete(text);
    this.entries.set(text, { onOpenLink, element });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return element;
  }

  get size(): number {
    return this.entries.size;
  }
}
