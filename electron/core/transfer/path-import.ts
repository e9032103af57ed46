import fs from "node:fs";
import path from "node:path";
import { AppError, MAX_IMPORT_NESTING, type ImportProgress, type PathImportResult } from "../../contract/index.js";
import { insertConversationTrees, type NewConversationTree } from "../store/conversation-trees.js";
import type { Db } from "../store/database.js";
import { chatGptConversationSchema, looksLikeChatGpt, mapChatGptConversation } from "./chatgpt-import.js";
import { describeIssue, planImport, readConversationFile, type ImportContext } from "./conversation-import.js";
import { JsonWalkError, walkJsonFile } from "./json-file-walk.js";

/** One conversation's span in a file: ChatGPT's longest real chats are a few MB; this bounds what is held at once. */
export const MAX_IMPORT_CONVERSATION_BYTES = 32 * 1024 * 1024;
/** Conversations one file may hold. */
export const MAX_IMPORT_CONVERSATIONS = 200_000;
/** Failures described one by one in the result; the rest are counted. */
const MAX_FAILURES_LISTED = 20;
/** A transaction is written when it holds this many conversations or messages (one per conversation is slow). */
const BATCH_CONVERSATIONS = 200;
const BATCH_MESSAGES = 20_000;
const PROGRESS_EVERY_MS = 200;

/**
 * Imports the conversations of a file on disk, read as a stream: ChatGPT's conversations.json (an array of any
 * length) or a Hearth conversation export. Each conversation is checked on its own and written only whole, so a
 * conversation is either imported complete or not at all.
 *
 * What a bad file leaves: a file that is not one of the two formats (judged by its first conversation) imports
 * nothing. Past that, a conversation that does not match the format is left out and counted in `failed` (the first
 * reasons listed); a file that breaks off (cut short, not JSON further on, a conversation too large) keeps the
 * conversations read before the break and says where it stopped in `stoppedEarly`. The good conversations are kept:
 * they were complete and valid, and importing the file again would only duplicate them.
 */
export async function importConversationsFromPath(
  file: string,
  deps: { db: Db; context: ImportContext; now: number; onProgress?: (progress: ImportProgress) => void },
): Promise<PathImportResult> {
  const totalBytes = checkPath(file);
  const result: PathImportResult = { imported: 0, messageCount: 0, skipped: 0, failed: 0, failures: [], firstConversationId: null, stoppedEarly: null };
  let kind: "chatgpt" | "hearth" | null = null;
  let batch: NewConversationTree[] = [];
  let batchMessages = 0;
  let bytesRead = 0;
  let lastProgress = 0;

  const progress = (force = false) => {
    const at = Date.now();
    if (!deps.onProgress || (!force && at - lastProgress < PROGRESS_EVERY_MS)) return;
    lastProgress = at;
    deps.onProgress({ bytesRead, totalBytes, imported: result.imported, skipped: result.skipped, failed: result.failed });
  };
  const flush = () => {
    if (batch.length === 0) return;
    insertConversationTrees(deps.db, batch);
    result.firstConversationId ??= batch[0]!.id;
    result.imported += batch.length;
    result.messageCount += batchMessages;
    batch = [];
    batchMessages = 0;
  };
  const failed = (index: number, title: string | null, reason: string) => {
    result.failed++;
    if (result.failures.length < MAX_FAILURES_LISTED) result.failures.push({ index, title, reason: reason.slice(0, 2000) });
  };

  const onValue = (value: unknown, index: number, shape: "array" | "single") => {
    kind ??= firstKind(value, shape);
    const title = titleOf(value);
    try {
      const tree = kind === "chatgpt" ? chatGptTree(value, deps) : planImport(readConversationFile(value), deps.context);
      if (tree === null) result.skipped++;
      else {
        batch.push(tree);
        batchMessages += tree.messages.length;
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "INVALID_INPUT" || shape === "single") throw error;
      failed(index, title, error.message);
    }
    if (batch.length >= BATCH_CONVERSATIONS || batchMessages >= BATCH_MESSAGES) flush();
    progress();
  };

  try {
    await walkJsonFile(
      file,
      { maxNesting: MAX_IMPORT_NESTING, maxValueBytes: MAX_IMPORT_CONVERSATION_BYTES, maxValues: MAX_IMPORT_CONVERSATIONS },
      { onValue, onBytes: (n) => ((bytesRead = n), progress()) },
    );
    flush();
  } catch (error) {
    // What was read whole before the break is kept (see above); nothing read means the file is refused outright.
    if (!(error instanceof JsonWalkError) || error.completed === 0 || kind === null) throw error;
    flush();
    if (result.imported === 0 && result.skipped === 0) throw error;
    result.stoppedEarly = error.message;
  }
  if (result.imported === 0 && result.stoppedEarly === null) {
    const why = result.failures[0] ? ` The first problem: ${result.failures[0].reason}` : "";
    throw new AppError("INVALID_INPUT", result.failed > 0 ? `No conversation in this file could be imported.${why}` : "No conversation in this file has any text to import.");
  }
  progress(true);
  return result;
}

/** The file's size, once it is known to be a readable file; a clear error for anything else. */
function checkPath(file: string): number {
  if (!path.isAbsolute(file)) throw new AppError("INVALID_INPUT", "Give the file's full path (for example /home/me/conversations.json).");
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new AppError("NOT_FOUND", "There is no file at that path.", { cause: error });
  }
  if (stat.isDirectory()) throw new AppError("INVALID_INPUT", "That path is a folder, not a file. Choose conversations.json inside it.");
  if (!stat.isFile()) throw new AppError("INVALID_INPUT", "That path is not a regular file.");
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new AppError("INVALID_INPUT", "Hearth may not read that file (permission denied).", { cause: error });
  }
  if (stat.size === 0) throw new AppError("INVALID_INPUT", "The file is empty.");
  return stat.size;
}

/** Judged by the first value: what the rest of the file is read as. */
function firstKind(value: unknown, shape: "array" | "single"): "chatgpt" | "hearth" {
  if (looksLikeChatGpt(value)) return "chatgpt";
  if (shape === "single") return "hearth";
  throw new AppError("INVALID_INPUT", "This file is neither a Hearth conversation export (format \"hearth.conversation\") nor a ChatGPT conversations.json.");
}

function titleOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as { title?: unknown; conversation?: { title?: unknown } };
  const title = typeof v.title === "string" ? v.title : typeof v.conversation?.title === "string" ? v.conversation.title : null;
  return title === null ? null : title.replace(/\s+/g, " ").trim().slice(0, 200);
}

function chatGptTree(value: unknown, deps: { context: ImportContext; now: number }): NewConversationTree | null {
  const parsed = chatGptConversationSchema.safeParse(value);
  if (!parsed.success) throw new AppError("INVALID_INPUT", `It does not match ChatGPT's format: ${describeIssue(parsed.error)}.`);
  const file = mapChatGptConversation(parsed.data, deps.now);
  return file === null ? null : planImport(file, deps.context);
}
