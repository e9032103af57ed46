import { z } from "zod";
import {
  appInfoSchema,
  appSettingsSchema,
  catalogEntrySchema,
  downloadSchema,
  fitSchema,
  hubModelSchema,
  remoteFileSchema,
  conversationSchema,
  conversationSettingsSchema,
  idSchema,
  messageSchema,
  modelInfoSchema,
} from "./schemas.js";

const empty = z.object({}).strict();
/** A Hugging Face repository id, "owner/name". */
const repoSchema = z.string().regex(/^[\w.-]{1,96}\/[\w.-]{1,96}$/, "expected owner/name");
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
  importModel: { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: modelInfoSchema },
  /** Removes a model from the list; a downloaded model's file is deleted too (imported files never are). */
  removeModel: {
    input: z.object({ modelId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true), freedBytes: z.number().nonnegative() }),
  },
  /** Native file dialog; `path` is null when cancelled or when the shell has no dialog (browser mode). */
  pickModelFile: { input: empty, output: z.object({ path: z.string().nullable() }) },

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
    input: z.object({ repo: repoSchema, fileName: fileNameSchema, contextSize: z.number().int().min(128).optional() }).strict(),
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

  getSettings: { input: empty, output: appSettingsSchema },
  updateSettings: {
    input: z
      .object({
        huggingFaceEndpoint: z.string().url().max(2048).optional(),
        /** A new token, or null to forget the stored one. */
        huggingFaceToken: z.string().trim().max(512).nullable().optional(),
      })
      .strict(),
    output: appSettingsSchema,
  },

  listConversations: { input: empty, output: z.array(conversationSchema) },
  createConversation: {
    input: z.object({ modelId: idSchema.nullable().optional() }).strict(),
    output: conversationSchema,
  },
  getConversation: {
    input: z.object({ conversationId: idSchema }).strict(),
    output: z.object({ conversation: conversationSchema, messages: z.array(messageSchema) }),
  },
  renameConversation: {
    input: z.object({ conversationId: idSchema, title: z.string().trim().min(1).max(200) }).strict(),
    output: conversationSchema,
  },
  updateConversationSettings: {
    input: z.object({ conversationId: idSchema, settings: conversationSettingsSchema.partial() }).strict(),
    output: conversationSchema,
  },
  deleteConversation: { input: z.object({ conversationId: idSchema }).strict(), output: ok },

  /** Stores the user's message, then streams the answer as `chat` events. Returns once both messages exist. */
  sendMessage: {
    input: z.object({ conversationId: idSchema, text: z.string().trim().min(1).max(200_000) }).strict(),
    output: z.object({ userMessage: messageSchema, assistantMessageId: idSchema }),
  },
  /** Replaces the last answer (or the given one, which must be the last) with a new one. */
  regenerateMessage: {
    input: z.object({ conversationId: idSchema, messageId: idSchema.optional() }).strict(),
    output: z.object({ assistantMessageId: idSchema }),
  },
  stopGeneration: { input: z.object({ conversationId: idSchema }).strict(), output: ok },

  /** Opens an http(s) link from an answer in the system browser, after checks. */
  openExternal: { input: z.object({ url: z.string().url().max(4096) }).strict(), output: ok },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]["input"]>;
export type MethodOutput<M extends MethodName> = z.infer<Methods[M]["output"]>;
export const methodNames = Object.keys(methods) as MethodName[];
