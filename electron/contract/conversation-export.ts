import { z } from "zod";
import { appErrorSchema } from "./errors.js";
import { conversationSettingsSchema, idSchema, MAX_NAME_CHARS, messageStatsSchema, messageStatusSchema } from "./schemas.js";

/** What a JSON export says it is; an importer refuses anything else. */
export const CONVERSATION_EXPORT_FORMAT = "hearth.conversation";
/** The only version this build reads and writes; a newer one is refused by name, not half-read. */
export const CONVERSATION_EXPORT_VERSION = 1;

/**
 * Largest export and largest import, in characters. Equal, so whatever Hearth exports it can import again; small
 * enough that the import request fits one 16 MiB bridge frame with JSON's escapes. Each message adds about 350
 * characters to its text: a 5,000-message conversation of 2.8 MB of markdown exports to about 4.6 M.
 */
export const MAX_CONVERSATION_FILE_CHARS = 6_000_000;
/** Messages (every version of every message) one conversation file may hold. */
export const MAX_EXPORT_MESSAGES = 20_000;
/** Deepest nesting of arrays and objects an import may have (a real file needs 5); checked before parsing. */
export const MAX_IMPORT_NESTING = 32;
/** Longest single message in a file: answers are not bounded like typed messages, but a file must be. */
export const MAX_EXPORT_MESSAGE_CHARS = 2_000_000;

export const exportedMessageSchema = z.object({
  id: idSchema,
  /** The message this one follows; null for a first message. Versions of a message share their parent. */
  parentId: idSchema.nullable(),
  role: z.enum(["user", "assistant"]),
  content: z.string().max(MAX_EXPORT_MESSAGE_CHARS),
  reasoning: z.string().max(MAX_EXPORT_MESSAGE_CHARS),
  status: messageStatusSchema,
  modelId: idSchema.nullable(),
  modelName: z.string().max(MAX_NAME_CHARS).nullable(),
  stats: messageStatsSchema.nullable(),
  error: appErrorSchema.nullable(),
  answeredBy: z
    .object({
      kind: z.enum(["local", "cloud"]),
      provider: z.string().max(MAX_NAME_CHARS).nullable(),
      model: z.string().max(MAX_NAME_CHARS),
      reason: z.string().max(2000),
      failover: z.boolean(),
    })
    .nullable(),
  createdAt: z.number().finite(),
});
export type ExportedMessage = z.infer<typeof exportedMessageSchema>;

/** The whole tree of one conversation: every version of every message, and which branch it showed. */
export const conversationExportSchema = z.object({
  format: z.literal(CONVERSATION_EXPORT_FORMAT),
  version: z.literal(CONVERSATION_EXPORT_VERSION),
  exportedAt: z.number().finite(),
  /** The Hearth version that wrote the file, for reading older files later. */
  appVersion: z.string().max(100).nullable(),
  conversation: z.object({
    id: idSchema,
    title: z.string().max(MAX_NAME_CHARS),
    createdAt: z.number().finite(),
    updatedAt: z.number().finite(),
    settings: conversationSettingsSchema,
  }),
  /** Oldest first; a message always comes after the one it follows. */
  messages: z.array(exportedMessageSchema).max(MAX_EXPORT_MESSAGES),
  /** The last message of the branch the conversation showed; null when it has no messages. */
  activeLeafId: idSchema.nullable(),
});
export type ConversationExport = z.infer<typeof conversationExportSchema>;

export const conversationExportFormatSchema = z.enum(["markdown", "json"]);
export type ConversationExportFormat = z.infer<typeof conversationExportFormatSchema>;

/** A file the user saves: the renderer offers it as a download (or the shell's save dialog). */
export const exportedFileSchema = z.object({
  fileName: z.string().max(300),
  mimeType: z.string().max(100),
  content: z.string().max(MAX_CONVERSATION_FILE_CHARS),
});

/** Path import (a file on disk, read as a stream): how far it is, sent as it goes. */
export const importProgressSchema = z.object({
  bytesRead: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

/**
 * What a path import did. `failed`: conversations left out because they did not match the format (the first ones
 * described in `failures`); `stoppedEarly`: why the file could not be read to its end, when it broke off after
 * some conversations were read (those are kept); `skipped`: conversations with no text.
 */
export const pathImportResultSchema = z.object({
  imported: z.number().int().nonnegative(),
  messageCount: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failures: z.array(z.object({ index: z.number().int().nonnegative(), title: z.string().max(200).nullable(), reason: z.string().max(2000) })).max(20),
  firstConversationId: idSchema.nullable(),
  stoppedEarly: z.string().max(2000).nullable(),
});
export type PathImportResult = z.infer<typeof pathImportResultSchema>;
