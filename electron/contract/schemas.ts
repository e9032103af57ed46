import { z } from "zod";
import { appErrorSchema } from "./errors.js";

export const idSchema = z.string().min(1).max(100);

export const modelInfoSchema = z.object({
  id: idSchema,
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  architecture: z.string(),
  /** Parameter count, when the file or its name tells it. */
  parameters: z.number().nonnegative().nullable(),
  /** e.g. "Q4_K_M", "F16", "MOSTLY_Q8_0". */
  quantization: z.string().nullable(),
  trainContextLength: z.number().int().nonnegative().nullable(),
  hasChatTemplate: z.boolean(),
  addedAt: z.number(),
  /** False when the file was moved or deleted after import. */
  available: z.boolean(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const conversationSettingsSchema = z.object({
  modelId: idSchema.nullable(),
  systemPrompt: z.string().max(20_000),
  temperature: z.number().min(0).max(2),
  contextSize: z.number().int().min(128).max(1_048_576),
  /** Longest answer in tokens; null lets the model finish on its own (bounded by the context). */
  maxOutputTokens: z.number().int().min(1).max(1_048_576).nullable(),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

export const defaultConversationSettings: Omit<ConversationSettings, "modelId"> = {
  systemPrompt: "You are a helpful assistant.",
  temperature: 0.7,
  contextSize: 4096,
  maxOutputTokens: null,
};

export const conversationSchema = z.object({
  id: idSchema,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  settings: conversationSettingsSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;

export const messageStatsSchema = z.object({
  /** Milliseconds spent loading the model for this answer; null when it was already loaded. */
  loadMs: z.number().nonnegative().nullable().optional(),
  /** Milliseconds from the request to the first streamed token. */
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative(),
  /** Prompt tokens actually evaluated for this answer (low on a follow-up turn when the cache is reused). */
  evaluatedInputTokens: z.number().int().nonnegative(),
});
export type MessageStats = z.infer<typeof messageStatsSchema>;

export const messageStatusSchema = z.enum(["complete", "streaming", "stopped", "interrupted", "error"]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  /** The model's thinking segment, if it has one; shown collapsed. */
  reasoning: z.string(),
  status: messageStatusSchema,
  modelId: idSchema.nullable(),
  modelName: z.string().nullable(),
  stats: messageStatsSchema.nullable(),
  error: appErrorSchema.nullable(),
  createdAt: z.number(),
});
export type Message = z.infer<typeof messageSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  shell: z.enum(["electron", "browser"]),
  dataDir: z.string(),
  /** Whether a native file picker exists (Electron); the browser mode asks for a path instead. */
  canPickFiles: z.boolean(),
  gpu: z.string(),
  totalRamBytes: z.number(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
