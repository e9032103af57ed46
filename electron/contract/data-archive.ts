import { z } from "zod";
import { conversationExportSchema } from "./conversation-export.js";
import { auditEntrySchema, idSchema, MAX_PATH_CHARS, providerKindSchema } from "./schemas.js";

/** What an "Export all data" file says it is. */
export const DATA_ARCHIVE_FORMAT = "hearth.archive";
export const DATA_ARCHIVE_VERSION = 1;
/** Largest archive a restore reads (bytes): well above years of chats, well below what would exhaust memory. */
export const MAX_DATA_ARCHIVE_BYTES = 1024 * 1024 * 1024;

/**
 * Everything a new data folder needs to carry on: every conversation (whole trees, ids kept), the settings (secrets
 * live elsewhere and never come along: keys and tokens must be entered again), the providers without their keys,
 * and the audit log as the user sees it (oldest first). Models are files, not data: they are downloaded again.
 */
export const dataArchiveSchema = z.object({
  format: z.literal(DATA_ARCHIVE_FORMAT),
  version: z.literal(DATA_ARCHIVE_VERSION),
  exportedAt: z.number().finite(),
  appVersion: z.string().max(100).nullable(),
  conversations: z.array(conversationExportSchema),
  /** The settings table as is (key, value): app settings and per-conversation ones keyed by conversation id. */
  settings: z.array(z.tuple([z.string().max(300), z.string().max(1_000_000)])),
  providers: z.array(
    z.object({
      id: idSchema,
      kind: providerKindSchema,
      name: z.string().max(100),
      baseUrl: z.string().max(2048).nullable(),
      model: z.string().max(200),
      inputPricePerMTok: z.number().nonnegative().nullable(),
      outputPricePerMTok: z.number().nonnegative().nullable(),
    }),
  ),
  audit: z.array(auditEntrySchema),
});
export type DataArchive = z.infer<typeof dataArchiveSchema>;

/** What an archive held (export) or restored (import). */
export const dataArchiveCountsSchema = z.object({
  conversations: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  settings: z.number().int().nonnegative(),
  providers: z.number().int().nonnegative(),
  auditEntries: z.number().int().nonnegative(),
});

export const dataArchivePathSchema = z.string().min(1).max(MAX_PATH_CHARS);
