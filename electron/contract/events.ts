import { z } from "zod";
import { importProgressSchema } from "./conversation-export.js";
import { appErrorSchema } from "./errors.js";
import {
  conversationSchema,
  downloadSchema,
  auditEntrySchema,
  escalationProposalSchema,
  idSchema,
  loadedModelSchema,
  messageSchema,
  messageStatsSchema,
} from "./schemas.js";

/**
 * What happens in a conversation, named noun-verb. Answers stream as part deltas: `text-delta` appends to the
 * message's text part, `reasoning-delta` to its reasoning part (a part of another type arrives whole, with its
 * message). Deltas are batched by the core (~30 ms) before they cross.
 */
export const chatEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message-start"), conversationId: idSchema, message: messageSchema }),
  /**
   * Another attempt at the same answer, as a new version shown in place of `replaces` (the version the branch showed
   * there): a failover after a cloud failure, a cascade's cloud answer after an unsure local one, a retry, a
   * continued answer. The old version stays; `message.versionIds` lists them all.
   */
  z.object({
    type: z.literal("attempt-started"),
    conversationId: idSchema,
    message: messageSchema,
    kind: z.enum(["retry", "failover", "cascade", "continue"]),
    replaces: idSchema.nullable(),
  }),
  /** The user's own message was stored (sent or edited), so every window shows it, not only the one that sent it. */
  z.object({ type: z.literal("message-added"), conversationId: idSchema, message: messageSchema }),
  z.object({ type: z.literal("text-delta"), conversationId: idSchema, messageId: idSchema, text: z.string() }),
  z.object({ type: z.literal("reasoning-delta"), conversationId: idSchema, messageId: idSchema, text: z.string() }),
  /** Ask mode: the router proposes the cloud; nothing is sent until the user resolves the proposal. */
  z.object({ type: z.literal("escalation-proposed"), conversationId: idSchema, proposal: escalationProposalSchema }),
  z.object({ type: z.literal("escalation-resolved"), conversationId: idSchema, proposalId: idSchema }),
  /**
   * The conversation shows another branch (a version chosen, a message edited, an answer regenerated, a message
   * deleted): its whole active branch with version info, so every window shows the same one.
   */
  z.object({ type: z.literal("branch-changed"), conversationId: idSchema, messages: z.array(messageSchema) }),
  z.object({
    type: z.literal("message-finish"),
    conversationId: idSchema,
    messageId: idSchema,
    /** interrupted: the model's process died under the answer (`error` says so); the text so far is kept. */
    status: z.enum(["complete", "stopped", "interrupted", "error"]),
    stats: messageStatsSchema.nullable(),
    error: appErrorSchema.nullable(),
    /** The whole answer as it ended, so the screen keeps it even when the disk could not (e.g. disk full). */
    content: z.string().optional(),
    reasoning: z.string().optional(),
  }),
]);
export type ChatEvent = z.infer<typeof chatEventSchema>;

/** A conversation's event number: 1 for its first event since the core started, then one more for each. */
export const chatSeqSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * A chat event as it crosses to a window: numbered per conversation, so a window that lost its link asks for what
 * it missed (catchUpChat) and drops what it already has. The core's services build plain `ChatEvent`s; the core
 * numbers them in one place.
 */
export const sequencedChatEventSchema = z.intersection(chatEventSchema, z.object({ seq: chatSeqSchema }));
export type SequencedChatEvent = z.infer<typeof sequencedChatEventSchema>;
/** The most events the core keeps per conversation for catching up (and so the most one catch-up returns). */
export const MAX_CATCH_UP_EVENTS = 2_000;

export const conversationEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("conversation-updated"), conversation: conversationSchema }),
  z.object({ type: z.literal("conversation-deleted"), conversationId: idSchema }),
  /** Many conversations were added at once (an import): list them again rather than one event each. */
  z.object({ type: z.literal("conversations-added"), count: z.number().int().nonnegative() }),
]);
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const downloadEventSchema = z.object({ type: z.literal("download-updated"), download: downloadSchema });
export type DownloadEvent = z.infer<typeof downloadEventSchema>;

/** The model list changed (a download finished, a model was imported or removed): fetch it again. */
export const modelEventSchema = z.object({ type: z.literal("models-changed") });
export type ModelEvent = z.infer<typeof modelEventSchema>;

/** The cloud providers changed (one saved, removed, or its key set): fetch them and the open chats' cloud access again. */
export const providerEventSchema = z.object({ type: z.literal("providers-changed") });
export type ProviderEvent = z.infer<typeof providerEventSchema>;

/** Something left the machine (or failed to): the audit log grew. */
export const auditEventSchema = z.object({ type: z.literal("audit-appended"), entry: auditEntrySchema });
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** A model was loaded into memory or unloaded (by a chat, a switch, a removal or Eject): what is loaded now. */
export const engineEventSchema = z.object({ type: z.literal("loaded-model-changed"), loaded: loadedModelSchema.nullable() });
export type EngineEvent = z.infer<typeof engineEventSchema>;

/** A path import's progress, sent as it reads (about every 200 ms). */
export const importEventSchema = z.object({ type: z.literal("import-progress"), progress: importProgressSchema });
export type ImportEvent = z.infer<typeof importEventSchema>;

export const events = {
  chat: sequencedChatEventSchema,
  audit: auditEventSchema,
  conversations: conversationEventSchema,
  downloads: downloadEventSchema,
  models: modelEventSchema,
  providers: providerEventSchema,
  engine: engineEventSchema,
  imports: importEventSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];
