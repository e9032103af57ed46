import {
  AppError,
  CONVERSATION_EXPORT_FORMAT,
  CONVERSATION_EXPORT_VERSION,
  MAX_CONVERSATION_FILE_CHARS,
  MAX_EXPORT_MESSAGES,
  type ConversationExport,
  type ConversationExportFormat,
} from "../../contract/index.js";
import { readConversationTree } from "../store/conversation-trees.js";
import type { Store } from "../store/store.js";
import { renderConversationMarkdown } from "./conversation-markdown.js";

/** The whole conversation (every version, the branch shown) in the versioned export format. */
export function buildConversationExport(
  store: Pick<Store, "db" | "requireConversation">,
  conversationId: string,
  options: { appVersion: string | null; now: number },
): ConversationExport {
  const conversation = store.requireConversation(conversationId);
  const tree = readConversationTree(store.db, conversationId);
  if (tree.messages.length > MAX_EXPORT_MESSAGES) {
    throw new AppError(
      "INVALID_INPUT",
      `This conversation has ${tree.messages.length} messages with their versions; one file holds at most ${MAX_EXPORT_MESSAGES}.`,
    );
  }
  return {
    format: CONVERSATION_EXPORT_FORMAT,
    version: CONVERSATION_EXPORT_VERSION,
    exportedAt: options.now,
    appVersion: options.appVersion,
    conversation: {
      id: conversation.id,
      title: conversation.title,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      settings: conversation.settings,
    },
    messages: tree.messages,
    activeLeafId: tree.activeLeafId,
  };
}

/** A file name from the title: letters, digits and dashes only, so every OS accepts it. */
export function exportFileName(title: string, extension: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_-]+/g, "-")
    .slice(0, 60)
    .replace(/-+$/, "")
    .toLowerCase();
  return `${slug || "conversation"}.${extension}`;
}

/** The conversation as a file to save: Markdown (the branch shown, readable) or JSON (the whole tree, lossless). */
export function exportConversationFile(
  store: Pick<Store, "db" | "requireConversation">,
  conversationId: string,
  format: ConversationExportFormat,
  options: { appVersion: string | null; now: number },
): { fileName: string; mimeType: string; content: string } {
  const file = buildConversationExport(store, conversationId, options);
  const content = format === "json" ? `${JSON.stringify(file, null, 1)}\n` : renderConversationMarkdown(file);
  if (content.length > MAX_CONVERSATION_FILE_CHARS) {
    const mb = (content.length / 1_000_000).toFixed(1);
    throw new AppError(
      "INVALID_INPUT",
      `This conversation is too large to export as one file (${mb} M characters; the limit is ${MAX_CONVERSATION_FILE_CHARS / 1_000_000} M). Delete versions you no longer need, or export the branch shown as Markdown.`,
    );
  }
  const title = file.conversation.title;
  return format === "json"
    ? { fileName: exportFileName(title, "hearth.json"), mimeType: "application/json", content }
    : { fileName: exportFileName(title, "md"), mimeType: "text/markdown", content };
}
