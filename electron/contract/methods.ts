import { z } from "zod";
import {
  appInfoSchema,
  auditEntrySchema,
  auditForwardingStatusSchema,
  escalationLevelSchema,
  escalationProposalSchema,
  editedPayloadSchema,
  MAX_MESSAGE_CHARS,
  MAX_NAME_CHARS,
  MAX_PATH_CHARS,
  MAX_REDACTION_TERMS,
  MAX_SECRET_CHARS,
  MAX_SYSTEM_PROMPT_CHARS,
  MAX_PRESETS,
  presetSchema,
  MAX_URL_CHARS,
  privacyModeSchema,
  themeSchema,
  providerKindSchema,
  providerSchema,
  appSettingsSchema,
  catalogEntrySchema,
  downloadSchema,
  loadedModelSchema,
  fitSchema,
  hubModelSchema,
  remoteFileSchema,
  conversationSchema,
  conversationSettingsSchema,
  contextMeterSchema,
  databaseStateSchema,
  idSchema,
  messageSchema,
  modelInfoSchema,
} from "./schemas.js";
import { auditFilterSchema, auditSummarySchema } from "./audit-filter.js";
import { cloudAccessSchema } from "./cloud-access.js";
import {
  conversationExportFormatSchema,
  exportedFileSchema,
  MAX_CONVERSATION_FILE_CHARS,
  pathImportResultSchema,
} from "./conversation-export.js";
import { dataArchiveCountsSchema, dataArchivePathSchema } from "./data-archive.js";
import { searchConversationsInput, searchConversationsOutput } from "./search.js";
import { apiActivityEntrySchema, apiServerStateSchema, apiServerUpdateSchema, MAX_API_ACTIVITY } from "./api-server.js";
import { MAX_CATCH_UP_EVENTS, sequencedChatEventSchema } from "./events.js";

const empty = z.object({}).strict();
/** A Hugging Face repository id, "owner/name". */
const repoSchema = z.string().max(200).regex(/^[\w.-]{1,96}\/[\w.-]{1,96}$/, "expected owner/name");
/** A file inside a repository (may be in a folder), never escaping it. */
const fileNameSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^(?!.*(^|\/)\.\.?(\/|$))[\w.\/-]+\.gguf$/i, "expected a .gguf file in the repository");
const ok = z.object({ ok: z.literal(true) });

/** THE API: every method the UI may call, with what it takes and returns. Both transports are built from this. */
export const methods = {
  getAppInfo: { input: empty, output: appInfoSchema },

  listModels: { input: empty, output: z.array(modelInfoSchema) },
  importModel: { input: z.object({ path: z.string().min(1).max(MAX_PATH_CHARS) }).strict(), output: modelInfoSchema },
  /** Removes a model from the list; a downloaded model's file is deleted too (imported files never are). */
  removeModel: {
    input: z.object({ modelId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true), freedBytes: z.number().nonnegative() }),
  },
  /** Native file dialog; `path` is null when cancelled or when the shell has no dialog (browser mode). */
  pickModelFile: { input: empty, output: z.object({ path: z.string().nullable() }) },
  /** Native file dialog for a conversations file to import (JSON); null when cancelled or in browser mode. */
  pickImportFile: { input: empty, output: z.object({ path: z.string().nullable() }) },

  getCatalog: { input: empty, output: z.array(catalogEntrySchema) },
  /** Searches the Hugging Face endpoint for GGUF repositories. */
  searchModels: {
    input: z.object({ query: z.string().trim().max(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
    output: z.array(hubModelSchema),
  },
  /** The GGUF files of a repository (split parts grouped), with sizes. */
  listRepoFiles: {
    input: z.object({ repo: repoSchema }).strict(),
    output: z.object({ repo: z.string(), files: z.array(remoteFileSchema) }),
  },
  /** Whether a remote file fits this machine, from its GGUF header read over HTTP and node-llama-cpp's estimates. */
  checkFit: {
    input: z
      .object({ repo: repoSchema, fileName: fileNameSchema, contextSize: z.number().int().min(128).max(1_048_576).optional() })
      .strict(),
    output: fitSchema,
  },
  startDownload: {
    input: z.object({ repo: repoSchema, fileName: fileNameSchema, catalogId: z.string().max(100).optional() }).strict(),
    output: downloadSchema,
  },
  pauseDownload: { input: z.object({ downloadId: idSchema }).strict(), output: downloadSchema },
  resumeDownload: { input: z.object({ downloadId: idSchema }).strict(), output: downloadSchema },
  /** Stops a download and deletes its partial file. */
  cancelDownload: { input: z.object({ downloadId: idSchema }).strict(), output: downloadSchema },
  listDownloads: { input: empty, output: z.array(downloadSchema) },

  /** The model held in memory now (null when none), with what it takes. */
  getLoadedModel: { input: empty, output: z.object({ loaded: loadedModelSchema.nullable() }) },
  /** Frees the loaded model's memory (an answer it is writing stops first); the next message loads it again. */
  ejectModel: { input: empty, output: z.object({ ok: z.literal(true), freedBytes: z.number().nonnegative() }) },

  getSettings: { input: empty, output: appSettingsSchema },
  updateSettings: {
    input: z
      .object({
        huggingFaceEndpoint: z.string().url().max(MAX_URL_CHARS).optional(),
        /** A new token, or null to forget the stored one. */
        huggingFaceToken: z.string().trim().max(512).nullable().optional(),
        defaultPrivacyMode: privacyModeSchema.optional(),
        escalationLevel: escalationLevelSchema.optional(),
        redactionTerms: z.array(z.string().trim().min(2).max(MAX_NAME_CHARS)).max(MAX_REDACTION_TERMS).optional(),
        localModelCheck: z.boolean().optional(),
        /** Auto mode asks before sending a message the redactor is unsure about. Refused off when the policy forces it. */
        askWhenUnsure: z.boolean().optional(),
        theme: themeSchema.optional(),
        defaultSystemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).optional(),
        /** The whole list: a preset added, renamed or removed is a new list. */
        presets: z
          .array(presetSchema)
          .max(MAX_PRESETS)
          .refine((presets) => new Set(presets.map((p) => p.id)).size === presets.length, "Two presets have the same id.")
          .optional(),
      })
      .strict(),
    output: appSettingsSchema,
  },

  /**
   * The conversations, newest first. With `limit`, one page: the `limit` after `before` (the id of the last one of the
   * previous page); a page shorter than `limit` is the last. Without, all of them.
   */
  listConversations: {
    input: z.object({ before: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(conversationSchema),
  },
  createConversation: {
    input: z.object({ modelId: idSchema.nullable().optional() }).strict(),
    output: conversationSchema,
  },
  /**
   * The conversation and its active branch. With `limit`, one page of it read from the leaf up: the `limit` messages
   * just above `before` (the latest when absent), and `hasOlder` when more remain above them; without, all of it.
   */
  getConversation: {
    input: z
      .object({ conversationId: idSchema, before: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    output: z.object({
      conversation: conversationSchema,
      /** An answer still streaming is as its events up to `lastSeq` left it (not as its last save). */
      messages: z.array(messageSchema),
      /** Messages of the active branch remain above the first one returned. */
      hasOlder: z.boolean(),
      /** The number of the conversation's last chat event these messages include (0: none yet). */
      lastSeq: z.number().int().nonnegative(),
    }),
  },
  /**
   * The conversation's chat events after `afterSeq`, for a window whose link came back. `reset` when the core no
   * longer holds them all (too old, or the core restarted): the window loads the conversation again.
   */
  catchUpChat: {
    input: z.object({ conversationId: idSchema, afterSeq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict(),
    output: z.discriminatedUnion("reset", [
      z.object({ reset: z.literal(false), events: z.array(sequencedChatEventSchema).max(MAX_CATCH_UP_EVENTS), lastSeq: z.number().int().nonnegative() }),
      z.object({ reset: z.literal(true), lastSeq: z.number().int().nonnegative() }),
    ]),
  },
  /**
   * The context meter of the active branch, counted with the conversation's model's own tokenizer. `meter` is null
   * when it cannot be measured (no model chosen, its file missing): the header then shows no meter, and no error.
   */
  getContextMeter: {
    input: z.object({ conversationId: idSchema }).strict(),
    output: z.object({ meter: contextMeterSchema.nullable() }),
  },
  renameConversation: {
    input: z.object({ conversationId: idSchema, title: z.string().trim().min(1).max(MAX_NAME_CHARS) }).strict(),
    output: conversationSchema,
  },
  updateConversationSettings: {
    input: z.object({ conversationId: idSchema, settings: conversationSettingsSchema.partial() }).strict(),
    output: conversationSchema,
  },
  /**
   * Deletes a conversation; with `eraseAudit` its audit entries' payloads are erased too (a tombstone with time, host,
   * sizes, outcome and the payload's hash stays, so the chain still verifies).
   */
  deleteConversation: { input: z.object({ conversationId: idSchema, eraseAudit: z.boolean().optional() }).strict(), output: ok },
  /**
   * A conversation as a file to save: "markdown" is the branch shown, readable (who answered, model, time);
   * "json" is the whole tree with every version, lossless (conversation-export.ts). At most 6 M characters.
   */
  exportConversation: {
    input: z.object({ conversationId: idSchema, format: conversationExportFormatSchema }).strict(),
    output: exportedFileSchema,
  },
  /**
   * Imports a JSON export of Hearth (one conversation) or ChatGPT's conversations.json (every conversation in it) as
   * new conversations with new ids; nothing stored is changed. `skipped`: conversations with no text to import.
   */
  importConversation: {
    input: z
      .object({ json: z.string().max(MAX_CONVERSATION_FILE_CHARS, `A file to import may be at most ${MAX_CONVERSATION_FILE_CHARS / 1_000_000} M characters`) })
      .strict(),
    output: z.object({
      conversations: z.array(conversationSchema).max(10_000),
      messageCount: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative(),
    }),
  },
  /**
   * Imports a file on disk of any size (ChatGPT's conversations.json or a Hearth export), read as a stream with
   * progress as `imports` events; good conversations are kept when others fail or the file breaks off (path-import.ts).
   */
  importConversationPath: { input: z.object({ path: z.string().min(1).max(MAX_PATH_CHARS) }).strict(), output: pathImportResultSchema },
  /**
   * "Export all data": every conversation, the settings (never a secret), the providers without keys and the audit
   * log, written as one archive file in the data folder's exports/ (too big to travel as a reply); returns its path.
   */
  exportAllData: {
    input: empty,
    output: z.object({ path: z.string(), bytes: z.number().int().nonnegative(), counts: dataArchiveCountsSchema }),
  },
  /** Restores an archive from Export all data into this data folder, which must be new (DATABASE_STATE otherwise). */
  importAllData: { input: z.object({ path: dataArchivePathSchema }).strict(), output: dataArchiveCountsSchema },
  /**
   * Full-text search over every conversation's title and messages (all versions), best first (bm25), each word a
   * prefix, "quoted words" an exact phrase. A message hit opens with selectVersion on its messageId.
   */
  searchConversations: { input: searchConversationsInput, output: searchConversationsOutput },

  /** Stores the user's message, then streams the answer as `chat` events. Returns once both messages exist. */
  /**
   * Stores the user's message, then either streams an answer as `chat` events, or (Ask mode, when the router
   * proposes the cloud or `escalate` is set) returns a proposal showing exactly what would be sent, and waits.
   */
  sendMessage: {
    input: z
      .object({
        conversationId: idSchema,
        text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS, `A message may be at most ${MAX_MESSAGE_CHARS} characters`),
        /** "Ask <cloud model>" by hand: in Ask mode shows the proposal, in Auto mode sends. Refused in Local only. */
        escalate: z.boolean().optional(),
      })
      .strict(),
    output: z.object({
      userMessage: messageSchema,
      assistantMessageId: idSchema.nullable(),
      proposal: escalationProposalSchema.nullable(),
    }),
  },
  /**
   * A new answer to the same user message as `messageId` (any answer of the conversation; default the last), beside
   * the old one, which stays as another version. The conversation shows the new one. `messageId` may also be a user
   * message: it is answered (again), e.g. one a crash or a declined proposal left without an answer.
   */
  regenerateMessage: {
    input: z
      .object({
        conversationId: idSchema,
        messageId: idSchema.optional(),
        /** "cloud" retries a failed cloud answer (Ask: shows the proposal again); default: as the mode decides. */
        target: z.enum(["local", "cloud"]).optional(),
        /**
         * "drop-oldest", for this answer only: the user agreed to drop the oldest messages after a stop-and-ask
         * conversation no longer fit (a CONTEXT_FULL answer with reason "needs-dropping"). The setting stays.
         */
        contextOverflow: z.literal("drop-oldest").optional(),
      })
      .strict(),
    output: z.object({ assistantMessageId: idSchema.nullable(), proposal: escalationProposalSchema.nullable() }),
  },
  /**
   * Continues a cut-off answer (stopped, interrupted, or at the output limit), the last message of the active branch:
   * a new version beside it starts with its text and reasoning and streams what the model writes next. The cut-off
   * version stays.
   */
  continueAnswer: {
    input: z.object({ conversationId: idSchema, messageId: idSchema }).strict(),
    output: z.object({ assistantMessageId: idSchema }),
  },
  /**
   * Edits a user message: the new text becomes a new version beside it (same parent), then it is answered like a sent
   * message. The old message and everything below it stay, as another branch.
   */
  editMessage: {
    input: z
      .object({
        conversationId: idSchema,
        messageId: idSchema,
        content: z.string().trim().min(1).max(MAX_MESSAGE_CHARS, `A message may be at most ${MAX_MESSAGE_CHARS} characters`),
      })
      .strict(),
    output: z.object({
      userMessage: messageSchema,
      assistantMessageId: idSchema.nullable(),
      proposal: escalationProposalSchema.nullable(),
    }),
  },
  /** Shows the branch through the chosen version of a message (its most recent continuation); returns that branch. */
  selectVersion: {
    input: z.object({ conversationId: idSchema, messageId: idSchema }).strict(),
    output: z.object({ messages: z.array(messageSchema) }),
  },
  /**
   * Deletes a message and every message below it (all their versions). Refused while an answer in that part is
   * being generated. With `dryRun` nothing is deleted: `deletedCount` says how many would go (for the confirmation).
   */
  deleteMessage: {
    input: z.object({ conversationId: idSchema, messageId: idSchema, dryRun: z.boolean().optional() }).strict(),
    output: z.object({ deletedCount: z.number().int().nonnegative(), messages: z.array(messageSchema) }),
  },
  /** Ask mode: rebuilds a proposal from payload text the user edited (redacted again, so what is shown is what goes). */
  reviseEscalation: {
    input: z.object({ conversationId: idSchema, proposalId: idSchema, payload: editedPayloadSchema }).strict(),
    output: escalationProposalSchema,
  },
  /** Ask mode: Send the proposal as shown, or Keep local (the local model answers; nothing is sent). */
  resolveEscalation: {
    input: z.object({ conversationId: idSchema, proposalId: idSchema, action: z.enum(["send", "keep-local"]) }).strict(),
    output: z.object({ assistantMessageId: idSchema }),
  },
  /** The pending Ask-mode proposal of a conversation, if any (after a reload). */
  getPendingEscalation: {
    input: z.object({ conversationId: idSchema }).strict(),
    output: z.object({ proposal: escalationProposalSchema.nullable() }),
  },

  /**
   * May this conversation use the cloud, with which provider, and what the UI may offer (the core's one decision).
   * Fetch again after a `conversation-updated` of it and after `providers-changed`.
   */
  getCloudAccess: { input: z.object({ conversationId: idSchema }).strict(), output: cloudAccessSchema },
  listProviders: { input: empty, output: z.array(providerSchema) },
  saveProvider: {
    input: z
      .object({
        id: idSchema.optional(),
        kind: providerKindSchema,
        name: z.string().trim().min(1).max(100),
        baseUrl: z.string().url().max(MAX_URL_CHARS).nullable().optional(),
        model: z.string().trim().min(1).max(200),
        /** Write-only: a new key, or null to delete the stored one; omitted keeps it. */
        apiKey: z.string().trim().min(1).max(MAX_SECRET_CHARS).nullable().optional(),
        inputPricePerMTok: z.number().nonnegative().nullable().optional(),
        outputPricePerMTok: z.number().nonnegative().nullable().optional(),
      })
      .strict(),
    output: providerSchema,
  },
  removeProvider: { input: z.object({ providerId: idSchema }).strict(), output: ok },
  /** Sends a tiny request to check the key and base URL; logged in the audit log like any other egress. */
  testProvider: {
    input: z.object({ providerId: idSchema }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number().nullable() }),
  },

  /**
   * One page of the audit log, newest first, filtered. `before` is the id of the last entry of the previous page (the
   * next page starts after it); a page shorter than `limit` is the last. Pages are bounded (at most 1000 entries).
   */
  listAudit: {
    input: auditFilterSchema
      .extend({ before: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    output: z.array(auditEntrySchema),
  },
  /** Totals over the whole filtered log (not just a page), and the provider names that occur, for the filter. */
  auditSummary: { input: auditFilterSchema, output: auditSummarySchema },
  /** The audit log as a file the user saves: JSON or CSV, what the filter matches (all of it without one). */
  exportAudit: {
    input: z.object({ format: z.enum(["json", "csv"]), ...auditFilterSchema.shape }).strict(),
    output: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /**
   * Recomputes the audit log's hash chain, checks each link's signature and the signed head file outside the
   * database; names the first broken link. `signatures` says whether the signatures could be checked.
   */
  verifyAudit: {
    input: z.object({}).strict(),
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      links: z.number().int(),
      firstBroken: z.object({ seq: z.number().int(), entryId: z.string().nullable(), reason: z.string() }).nullable(),
      signatures: z.enum(["checked", "unchecked", "not-set-up"]),
      note: z.string().nullable(),
    }),
  },
  /** Where the audit log is forwarded (the policy's collector), what is pending and the last failure. */
  auditForwardingStatus: { input: empty, output: auditForwardingStatusSchema },
  stopGeneration: { input: z.object({ conversationId: idSchema }).strict(), output: ok },

  /** Opens an http(s) link from an answer in the system browser, after checks. */
  openExternal: { input: z.object({ url: z.string().url().max(4096) }).strict(), output: ok },

  /** Whether the database is sound or in recovery after damage, its backups and its encryption. */
  getDatabaseState: { input: empty, output: databaseStateSchema },
  /** In recovery: puts the newest backup that passes quick_check in place of the damaged file (moved aside). */
  restoreDatabaseBackup: { input: empty, output: databaseStateSchema },
  /** In recovery: starts with an empty database; the damaged file stays where it was moved. */
  startFreshDatabase: { input: empty, output: databaseStateSchema },
  /** Encrypts the database at rest (key sealed by the OS keychain) or, unless the policy requires it, decrypts it. */
  setDatabaseEncryption: { input: z.object({ enabled: z.boolean() }).strict(), output: databaseStateSchema },

  /** The local OpenAI-compatible API server: switch, port, key (masked), allowed origins, policy, running or not. */
  getApiServer: { input: empty, output: apiServerStateSchema },
  /** Switches it on or off, moves it to another port, sets the web origins allowed to call it. */
  updateApiServer: { input: apiServerUpdateSchema, output: apiServerStateSchema },
  /** A new key; the old one stops working at once. */
  rotateApiKey: { input: empty, output: apiServerStateSchema },
  /** The full key, for the Copy button (it never leaves the machine). */
  revealApiKey: { input: empty, output: z.object({ key: z.string().max(200) }) },
  /** The local API's recent requests, newest first (in memory only: which program used the model, when, how much). */
  listApiActivity: {
    input: z.object({ limit: z.number().int().min(1).max(MAX_API_ACTIVITY).optional() }).strict(),
    output: z.array(apiActivityEntrySchema).max(MAX_API_ACTIVITY),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]["input"]>;
export type MethodOutput<M extends MethodName> = z.infer<Methods[M]["output"]>;
export const methodNames = Object.keys(methods) as MethodName[];
