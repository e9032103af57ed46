const entries = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "entry" : "entries"}`;

/**
 * What the audit view's Export saves, said before the user clicks: the view's chat and filters apply to it, so the
 * count is the filtered total (null while the core's totals have not arrived).
 */
export function auditExportText(count: number | null, scope: { chat: boolean; filtered: boolean }): string {
  const which = [scope.chat ? "of this chat" : null, scope.filtered ? "matching the filters" : null].filter(Boolean).join(" ");
  if (count === null) return which ? `Export the entries ${which}` : "Export the whole log";
  if (count === 0) return which ? `No entries ${which} to export` : "Nothing to export yet";
  if (!which) return `Export all ${entries(count)}`;
  return `Export ${entries(count)} ${which}`;
}
