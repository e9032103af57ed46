/** A conversation's title from its first prompt: first line, whitespace collapsed, cut at a word near 60 chars. */
export function titleFromPrompt(prompt: string, max = 60): string {
  const line = prompt.split(/\r?\n/).find((l) => l.trim().length > 0)?.trim().replace(/\s+/g, " ") ?? "";
  if (!line) return "New chat";
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
