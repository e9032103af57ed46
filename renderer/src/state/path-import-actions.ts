import { AppError, type ImportProgress, type MethodOutput } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { formatBytes } from "../ui/format.js";
import { openConversation } from "./actions.js";
import { reportError, reportInfo } from "./notices.js";

type PathImported = MethodOutput<"importConversationPath">;

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "Reading 12 MB of 48 MB · 1,204 conversations imported" - an import in progress. */
export function importProgressText(progress: ImportProgress): string {
  const failed = progress.failed > 0 ? ` · ${count(progress.failed, "could not be read", "could not be read")}` : "";
  return `Reading ${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)} · ${count(progress.imported, "conversation")} imported${failed}`;
}

/**
 * What a finished path import tells the user: what was added, what was left out and why (the first reason), and
 * where the file broke off when it did (what came before is kept).
 */
export function pathImportSummary(result: PathImported, fileName: string): { text: string; problem: boolean } {
  const parts = [`Imported ${count(result.imported, "conversation")} (${count(result.messageCount, "message")}) from ${fileName}.`];
  if (result.skipped > 0) parts.push(`${count(result.skipped, "empty conversation")} skipped.`);
  const first = result.failures[0];
  if (result.failed > 0 && first) {
    const which = first.title ? `“${first.title}”` : `number ${first.index + 1}`;
    parts.push(`${count(result.failed, "conversation")} could not be read (first, ${which}: ${first.reason})`);
  }
  if (result.stoppedEarly) parts.push(`The import stopped early: ${result.stoppedEarly} The conversations before that point were imported.`);
  return { text: parts.join(" "), problem: result.failed > 0 || result.stoppedEarly !== null };
}

/** The last part of a path, for messages ("conversations.json"). */
export const fileNameOf = (path: string): string => path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;

/**
 * Imports a conversations file of any size by its path (the core reads it as a stream), reporting progress as it
 * goes; the first imported conversation opens. A summary says what was added and what was not; a file that could
 * not be imported at all shows its error. Resolves with the result, or null on failure.
 */
export async function importConversationPath(path: string, onProgress: (progress: ImportProgress) => void): Promise<PathImported | null> {
  const api = getApi();
  const unsubscribe = api.subscribe.imports((event) => onProgress(event.progress));
  try {
    const result = await api.importConversationPath({ path });
    if (result.firstConversationId) await openConversation(result.firstConversationId);
    const summary = pathImportSummary(result, fileNameOf(path));
    // A partial import is worth waiting for the user: it goes in the error notices, which stay until dismissed.
    if (summary.problem) reportError(new AppError("INVALID_INPUT", summary.text));
    else reportInfo(summary.text);
    return result;
  } catch (error) {
    reportError(error);
    return null;
  } finally {
    unsubscribe();
  }
}

/** Electron: the open-file dialog, then the import; null when the dialog was cancelled or the import failed. */
export async function pickAndImportConversations(onProgress: (progress: ImportProgress) => void): Promise<PathImported | null> {
  try {
    const { path } = await getApi().pickImportFile({});
    return path ? await importConversationPath(path, onProgress) : null;
  } catch (error) {
    reportError(error);
    return null;
  }
}
