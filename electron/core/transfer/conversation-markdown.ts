import type { ConversationExport, ExportedMessage } from "../../contract/index.js";

/**
 * The branch a conversation shows, first message first, from its whole tree: up from the active leaf. A missing
 * leaf falls back to the latest leaf of the latest first message (as the store does); a loop ends the walk.
 */
export function activePath(messages: readonly ExportedMessage[], activeLeafId: string | null): ExportedMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  let leaf = activeLeafId !== null ? byId.get(activeLeafId) : undefined;
  if (!leaf) {
    // Messages come oldest first, so the last child seen is the most recent version.
    const newestChild = new Map<string | null, ExportedMessage>();
    for (const m of messages) newestChild.set(m.parentId, m);
    let node = newestChild.get(null);
    const seen = new Set<string>();
    while (node && !seen.has(node.id)) {
      seen.add(node.id);
      leaf = node;
      node = newestChild.get(node.id);
    }
  }
  const path: ExportedMessage[] = [];
  const seen = new Set<string>();
  for (let node = leaf; node && !seen.has(node.id); node = node.parentId !== null ? byId.get(node.parentId) : undefined) {
    seen.add(node.id);
    path.push(node);
  }
  return path.reverse();
}

/** "2026-12-03 14:05 UTC": the same in every export, whatever the machine's time zone. */
export function formatUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Who wrote a message, as the heading shows it: "You", or the model and where it ran. */
export function authorOf(message: ExportedMessage): string {
  if (message.role === "user") return "You";
  const by = message.answeredBy;
  if (by?.kind === "cloud") return `${by.model}${by.provider ? ` via ${by.provider}` : ""} (cloud)`;
  const model = by?.model ?? message.modelName;
  const local = `${model ?? "Assistant"}${by?.kind === "local" ? " (local)" : ""}`;
  return by?.failover ? `${local}, after the cloud failed` : local;
}

const statusNote: Record<ExportedMessage["status"], string | null> = {
  complete: null,
  streaming: "still being written when exported",
  stopped: "stopped",
  interrupted: "interrupted",
  error: "failed",
};

/** Text quoted line by line, so reasoning reads as an aside and never as part of the answer. */
const quote = (text: string): string =>
  text
    .trim()
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");

/**
 * A readable Markdown copy of the branch the conversation shows: the title, then each message under a heading
 * saying who wrote it (the model, local or cloud) and when; reasoning as a quote before the answer. Other versions
 * are counted, not shown (the JSON export keeps them).
 */
export function renderConversationMarkdown(file: ConversationExport): string {
  const branch = activePath(file.messages, file.activeLeafId);
  const others = file.messages.length - branch.length;
  const lines: string[] = [`# ${file.conversation.title.replace(/\s+/g, " ").trim() || "Untitled chat"}`, ""];
  const counts = `${branch.length} message${branch.length === 1 ? "" : "s"}`;
  const hidden = others > 0 ? ` (the branch shown; ${others} other version${others === 1 ? "" : "s"} only in the JSON export)` : "";
  lines.push(`_Exported from Hearth on ${formatUtc(file.exportedAt)} · ${counts}${hidden}_`, "");
  const prompt = file.conversation.settings.systemPrompt.trim();
  if (prompt) lines.push("**System prompt**", "", quote(prompt), "");
  for (const message of branch) {
    lines.push("---", "", `### ${authorOf(message)} · ${formatUtc(message.createdAt)}`, "");
    if (message.reasoning.trim()) {
      const seconds = message.stats?.reasoningMs !== undefined ? ` for ${Math.max(1, Math.round(message.stats.reasoningMs / 1000))} s` : "";
      lines.push(`> **Reasoning**${seconds}`, ">", quote(message.reasoning), "");
    }
    if (message.content) lines.push(message.content.trimEnd(), "");
    const note = statusNote[message.status];
    if (note) lines.push(`_(${note}${message.error ? `: ${message.error.message}` : ""})_`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
