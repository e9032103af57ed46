import { z } from "zod";
import {
  appInfoSchema,
  conversationSchema,
  conversationSettingsSchema,
  idSchema,
  messageSchema,
  modelInfoSchema,
} from "./schemas.js";

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** THE API: every method the UI may call, with what it takes and returns. Both transports are built from this. */
export const methods = {
  getAppInfo: { input: empty, output: appInfoSchema },

  listModels: { input: empty, output: z.array(modelInfoSchema) },
  importModel: { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: modelInfoSchema },
  removeModel: { input: z.object({ modelId: idSchema }).strict(), output: ok },
  /** Native file dialog; `path` is null when cancelled or when the shell has no dialog (browser mode). */
  pickModelFile: { input: empty, output: z.object({ path: z.string().nullable() }) },

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
