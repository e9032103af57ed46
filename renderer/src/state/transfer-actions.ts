import { AppError, MAX_CONVERSATION_FILE_CHARS, type Conversation, type ConversationExportFormat, type MethodOutput } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { downloadTextFile } from "../ui/download-file.js";
import { openConversation } from "./actions.js";
import { reportError, reportInfo } from "./notices.js";
import { useHearth } from "./store.js";

type Imported = MethodOutput<"importConversation">;

/**
 * Saves a conversation as Markdown or JSON. Both shells take the same path: a Blob download, which Electron turns
 * into its save dialog (and main.ts makes the saved file private).
 */
export async function exportConversation(conversationId: string, format: ConversationExportFormat): Promise<void> {
  try {
    const file = await getApi().exportConversation({ conversationId, format });
    downloadTextFile(file.fileName, file.mimeType, file.content);
  } catch (error) {
    reportError(error);
  }
}

/** "Imported “Trip” (5 messages)." - what the user gets told once an import is stored. */
export function importSummary(result: Imported, fileName: string): string {
  const messages = `${result.messageCount} message${result.messageCount === 1 ? "" : "s"}`;
  const [first] = result.conversations;
  const what = result.conversations.length === 1 && first ? `“${first.title}”` : `${result.conversations.length} conversations`;
  const skipped = result.skipped > 0 ? `; ${result.skipped} empty conversation${result.skipped === 1 ? " was" : "s were"} skipped` : "";
  return `Imported ${what} (${messages}) from ${fileName}${skipped}.`;
}

/** What importConversationFile reads: a File from the picker, or anything shaped like one in tests. */
export type ImportFile = { name: string; size: number; text(): Promise<string> };

/**
 * Imports a Hearth JSON export or ChatGPT's conversations.json: the core checks it and stores new conversations;
 * the first one opens and a notice says what was added. A file too large is refused before it is read or sent.
 */
export async function importConversationFile(file: ImportFile): Promise<Imported | null> {
  try {
    const limit = `the limit is ${MAX_CONVERSATION_FILE_CHARS / 1_000_000} M characters`;
    // UTF-8 takes at most 3 bytes a character here, so a bigger file cannot fit; reading it would only cost memory.
    if (file.size > MAX_CONVERSATION_FILE_CHARS * 3) throw new AppError("INVALID_INPUT", `${file.name} is too large to import (${limit}).`);
    const json = await file.text();
    if (json.length > MAX_CONVERSATION_FILE_CHARS) throw new AppError("INVALID_INPUT", `${file.name} is too large to import (${limit}).`);
    const result = await getApi().importConversation({ json });
    useHearth.setState((s) => ({
      conversations: { ...s.conversations, ...Object.fromEntries(result.conversations.map((c: Conversation) => [c.id, c])) },
    }));
    const first = result.conversations[0];
    if (first) await openConversation(first.id);
    reportInfo(importSummary(result, file.name));
    return result;
  } catch (error) {
    reportError(error);
    return null;
  }
}

type ArchiveCounts = MethodOutput<"importAllData">;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 conversations (14 messages), 1 provider, 5 audit entries" - what an archive holds. */
export function archiveCountsText(counts: ArchiveCounts): string {
  return `${plural(counts.conversations, "conversation")} (${plural(counts.messages, "message")}), ${plural(counts.providers, "provider")}, ${plural(counts.auditEntries, "audit entry", "audit entries")}`;
}

/** Export all data: the core writes one archive into the data folder; resolves with where, or null on failure. */
export async function exportAllData(): Promise<MethodOutput<"exportAllData"> | null> {
  try {
    return await getApi().exportAllData({});
  } catch (error) {
    reportError(error);
    return null;
  }
}

/** Restores an archive into this (new) data folder; the conversations arrive by their events. */
export async function restoreDataArchive(path: string): Promise<ArchiveCounts | null> {
  try {
    const counts = await getApi().importAllData({ path });
    reportInfo(`Restored ${archiveCountsText(counts)}. Keys and tokens are never in an archive: enter them again in Settings.`);
    return counts;
  } catch (error) {
    reportError(error);
    return null;
  }
}
