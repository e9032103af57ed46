/** A row a virtualized list has in the DOM: its index in the list and where it lies in the scrolled content (px). */
export type RenderedRow = { index: number; top: number; bottom: number };

/**
 * Where in the scrolled content row `target` (of `count`) should be, for a list that renders only the rows near the
 * view (so the row may not exist yet): estimated from the rows that are rendered, at their average height, or in
 * proportion to the whole list when none are. Scrolling there renders it, or comes closer for the next try.
 */
export function scrollTowards(target: number, count: number, rendered: readonly RenderedRow[], scrollHeight: number): number {
  const rows = [...rendered].sort((a, b) => a.index - b.index);
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last || count <= 0) return (scrollHeight * target) / Math.max(1, count);
  const average = (last.bottom - first.top) / (last.index - first.index + 1);
  const at = target < first.index ? first.top - (first.index - target) * average : last.bottom + (target - last.index - 1) * average;
  if (target >= first.index && target <= last.index) return first.top + (target - first.index) * average;
  return Math.max(0, Math.min(scrollHeight, at));
}
