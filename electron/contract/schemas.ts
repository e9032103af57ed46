import { z } from "zod";
import { appErrorSchema } from "./errors.js";
import { messagePartsSchema } from "./message-parts.js";

export const idSchema = z.string().min(1).max(100);

// --- Size limits. Every string and array a caller sends is bounded here (or in methods.ts with these
// constants), so hostile input costs bounded memory and fails that one request with INVALID_INPUT. Each limit
// sits well above real use; outputs are what the core stored, so they are bounded by these inputs.
/** One message the user types or pastes: about 50k tokens. */
export const MAX_MESSAGE_CHARS = 200_000;
/** One message of an edited escalation payload: a pasted message or a long answer (about 250k tokens). */
export const MAX_PAYLOAD_MESSAGE_CHARS = 1_000_000;
/**
 * An edited escalation payload (a whole conversation) in all: about 1M tokens, the largest context a provider
 * offers today. It may pass 1 MB, so the WebSocket frame limit (ws-protocol.ts) is set above it.
 */
export const MAX_PAYLOAD_TOTAL_CHARS = 4_000_000;
/** Messages in an escalation payload: the system prompt and every turn of a long conversation. */
export const MAX_PAYLOAD_MESSAGES = 2_000;
export const MAX_SYSTEM_PROMPT_CHARS = 20_000;
/** Names and titles shown in one line of the UI. */
export const MAX_NAME_CHARS = 200;
export const MAX_URL_CHARS = 2048;
export const MAX_PATH_CHARS = 4096;
export const MAX_SECRET_CHARS = 4096;
export const MAX_REDACTION_TERMS = 1000;

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
  /** "downloaded" files live in Hearth's models folder and are deleted with the model; imported ones never are. */
  source: z.enum(["imported", "downloaded"]),
  /** Hugging Face repository it came from, for downloaded models. */
  repo: z.string().nullable(),
  /** The model card (markdown) that travels with the file, when there is one. */
  card: z.string().nullable(),
  /** Conversations that use this model. */
  usedBy: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** Local only: nothing leaves the machine. Ask: the user sees and approves each payload. Auto: sent when the router says so. */
export const privacyModeSchema = z.enum(["local", "ask", "auto"]);
export type PrivacyMode = z.infer<typeof privacyModeSchema>;

export const escalationLevelSchema = z.enum(["rarely", "balanced", "often"]);
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;

export const contextOverflowSchema = z.enum(["drop-oldest", "stop-and-ask"]);
export type ContextOverflow = z.infer<typeof contextOverflowSchema>;

/** How the local model picks each next token, beyond temperature. The defaults are node-llama-cpp's own. */
export const samplingSettingsSchema = z
  .object({
    /** Sample only from the likeliest tokens whose probabilities add up to this; 1 turns it off. */
    topP: z.number().min(0).max(1),
    /** Sample only from this many likeliest tokens; 0 turns it off (the whole vocabulary). */
    topK: z.number().int().min(0).max(100_000),
    /** Leave out tokens far less likely than the likeliest one; 0 turns it off. */
    minP: z.number().min(0).max(1),
    /** Make recently written tokens less likely by this factor; 1 turns it off. */
    repeatPenalty: z.number().min(1).max(2),
    /** The same seed, prompt, model and settings write the same answer; null draws a new seed for each answer. */
    seed: z.number().int().min(0).max(4_294_967_295).nullable(),
  })
  .strict();
export type SamplingSettings = z.infer<typeof samplingSettingsSchema>;

export const defaultSamplingSettings: SamplingSettings = { topP: 0.95, topK: 40, minP: 0, repeatPenalty: 1.1, seed: null };

export const conversationSettingsSchema = z.object({
  modelId: idSchema.nullable(),
  systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS),
  temperature: z.number().min(0).max(2),
  contextSize: z.number().int().min(128).max(1_048_576),
  /** Longest answer in tokens; null lets the model finish on its own (bounded by the context). */
  maxOutputTokens: z.number().int().min(1).max(1_048_576).nullable(),
  privacyMode: privacyModeSchema,
  /** The cloud provider this conversation may escalate to (Ask/Auto); null uses the first allowed one. */
  cloudProviderId: idSchema.nullable(),
  /**
   * When the branch no longer fits the model's context: drop the oldest messages (and say so), or stop and ask
   * first (the answer fails with CONTEXT_FULL, and the user may drop them for that answer).
   */
  contextOverflow: contextOverflowSchema,
  /** Absent means the defaults (the store always fills it in; a conversation built elsewhere may leave it out). */
  sampling: samplingSettingsSchema.optional(),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

export const defaultConversationSettings: Omit<ConversationSettings, "modelId"> = {
  systemPrompt: "You are a helpful assistant.",
  temperature: 0.7,
  contextSize: 4096,
  // A new chat's answers stop here (and can be continued): a small model that never writes its end token would
  // otherwise run until the context is full. The same room the prompt leaves for an answer at this context size.
  maxOutputTokens: 1024,
  privacyMode: "local",
  cloudProviderId: null,
  contextOverflow: "drop-oldest",
  sampling: defaultSamplingSettings,
};

export const conversationSchema = z.object({
  id: idSchema,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  settings: conversationSettingsSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;

/**
 * Why an answer ended: "stop" (the model finished), "length" (it reached the output limit: cut off, can be
 * continued), "abort" (stopped), "other".
 */
export const finishReasonSchema = z.enum(["stop", "length", "abort", "other"]);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const messageStatsSchema = z.object({
  /** Milliseconds spent loading the model for this answer; null when it was already loaded. */
  loadMs: z.number().nonnegative().nullable().optional(),
  /** Milliseconds from the request to the first streamed token. */
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative(),
  /** Prompt tokens actually evaluated for this answer (low on a follow-up turn when the cache is reused). */
  evaluatedInputTokens: z.number().int().nonnegative(),
  /** Why the answer ended; absent on answers stored before it was recorded. */
  finishReason: finishReasonSchema.optional(),
  /** How long the model thought: from its first to its last reasoning token (absent without reasoning). */
  reasoningMs: z.number().nonnegative().optional(),
  /** Set when the prompt of this answer left the oldest messages out to fit the model's context. */
  context: z
    .object({
      /** Messages of the branch (oldest first) the model did not read for this answer. */
      droppedCount: z.number().int().nonnegative(),
      firstKeptMessageId: idSchema.nullable(),
      usedTokens: z.number().int().nonnegative(),
      budgetTokens: z.number().int().nonnegative(),
    })
    .optional(),
});
export type MessageStats = z.infer<typeof messageStatsSchema>;

/** How much of the model's context the active branch of a conversation uses, counted with the model's tokenizer. */
export const contextMeterSchema = z.object({
  /** Tokens the model reads for this branch now (after dropping the oldest messages, if it had to). */
  usedTokens: z.number().int().nonnegative(),
  contextSize: z.number().int().positive(),
  /** "full" once older messages are (or at the next send would be) left out. */
  level: z.enum(["ok", "near-limit", "full"]),
  droppedCount: z.number().int().nonnegative(),
});
export type ContextMeterInfo = z.infer<typeof contextMeterSchema>;

export const messageStatusSchema = z.enum(["complete", "streaming", "stopped", "interrupted", "error"]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  /** The model's thinking segment, if it has one; shown collapsed. */
  reasoning: z.string(),
  /**
   * The message as parts (reasoning, text, citations, tool calls and results, redactions). `content` and `reasoning`
   * are its text and reasoning parts, kept for older readers; streamed deltas append to those two parts.
   */
  parts: messagePartsSchema,
  status: messageStatusSchema,
  modelId: idSchema.nullable(),
  modelName: z.string().nullable(),
  stats: messageStatsSchema.nullable(),
  error: appErrorSchema.nullable(),
  /** Who wrote this answer and why; null for user messages. */
  answeredBy: z
    .object({
      kind: z.enum(["local", "cloud"]),
      /** Provider name for cloud answers ("OpenAI"), null for local ones. */
      provider: z.string().nullable(),
      model: z.string(),
      /** e.g. "Router: multi-step math; local model is 1B", "You asked for the cloud", "Cloud failed (rate limit): answered locally". */
      reason: z.string(),
      /** Set when the cloud was tried and failed and the local model answered instead. */
      failover: z.boolean(),
    })
    .nullable()
    .optional(),
  createdAt: z.number(),
  /** The message this one follows in the conversation's tree; null for a first message. */
  parentId: idSchema.nullable().optional(),
  /**
   * The versions of this message (it and the others under the same parent), oldest first, for `‹ 2/3 ›`. Sent with
   * the active branch (getConversation, branch-changed); absent means one version.
   */
  versionIds: z.array(idSchema).max(10_000).optional(),
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

// --- Model manager (catalog, Hugging Face, fit, downloads)

export const catalogFileSchema = z.object({
  /** File name in the repository; for split models the first part (`-00001-of-0000N.gguf`). */
  fileName: z.string().min(1),
  quantization: z.string(),
  sizeBytes: z.number().int().positive(),
  /** Known sha256 of the file; null where the catalog does not know it (then Hugging Face's LFS hash is used). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});
export type CatalogFile = z.infer<typeof catalogFileSchema>;

export const catalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  name: z.string(),
  family: z.string(),
  publisher: z.string(),
  /** Hugging Face repository of the GGUF files. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  /** Repository of the original weights, where the model card of the authors lives. */
  sourceRepo: z.string(),
  license: z.string(),
  licenseUrl: z.string().url(),
  parameters: z.number().positive(),
  contextLength: z.number().int().positive(),
  intendedUse: z.string(),
  limitations: z.string(),
  description: z.string(),
  files: z.array(catalogFileSchema).min(1),
  /** Markdown model card, from models/cards/<id>.md. */
  card: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const fitVerdictSchema = z.enum(["gpu", "ram", "partial", "no"]);
export type FitVerdict = z.infer<typeof fitVerdictSchema>;

export const fitSchema = z.object({
  verdict: fitVerdictSchema,
  /** "Fits in GPU", "Fits in RAM", "Slow (partial offload)", "Won't fit". */
  label: z.string(),
  contextSize: z.number().int().positive(),
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().nonnegative(),
  ramBytes: z.number().nonnegative(),
  vramBytes: z.number().nonnegative(),
  /** One sentence: what it needs against what this machine has. */
  detail: z.string(),
});
export type Fit = z.infer<typeof fitSchema>;

export const hubModelSchema = z.object({
  repo: z.string(),
  author: z.string().nullable(),
  downloads: z.number().int().nonnegative(),
  likes: z.number().int().nonnegative(),
  updatedAt: z.string().nullable(),
  gated: z.boolean(),
});
export type HubModel = z.infer<typeof hubModelSchema>;

export const remoteFileSchema = z.object({
  repo: z.string(),
  /** For split models, the first part. */
  fileName: z.string(),
  quantization: z.string().nullable(),
  /** All parts together. */
  sizeBytes: z.number().int().nonnegative(),
  parts: z.number().int().positive(),
  sha256: z.string().nullable(),
});
export type RemoteFile = z.infer<typeof remoteFileSchema>;

export const downloadStatusSchema = z.enum([
  "queued",
  "downloading",
  "paused",
  "retrying",
  "verifying",
  "completed",
  "failed",
  "cancelled",
]);
export type DownloadStatus = z.infer<typeof downloadStatusSchema>;

export const downloadSchema = z.object({
  id: idSchema,
  repo: z.string(),
  fileName: z.string(),
  catalogId: z.string().nullable(),
  status: downloadStatusSchema,
  totalBytes: z.number().nonnegative(),
  downloadedBytes: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
  /** Seconds left at the current speed; null when unknown. */
  etaSeconds: z.number().nonnegative().nullable(),
  /** Automatic retries after a dropped or stalled connection, in this run. */
  attempts: z.number().int().nonnegative(),
  /** When the last byte arrived, while a running transfer has received nothing for a few seconds; else null. */
  stalledSince: z.number().nullable(),
  /** When the next attempt starts: the stall watchdog's deadline during a stall, the backoff's end while retrying. */
  retryAt: z.number().nullable(),
  error: appErrorSchema.nullable(),
  /** The registered model, once verified and moved into the models folder. */
  modelId: idSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Download = z.infer<typeof downloadSchema>;

/** The model the engine holds in memory now, for the model indicator (with its Eject). */
export const loadedModelSchema = z.object({
  modelId: idSchema,
  name: z.string(),
  contextSize: z.number().int().nonnegative(),
  /** The weights plus the context as allocated (node-llama-cpp's estimate of its KV cache and buffers). */
  memoryBytes: z.number().nonnegative(),
  /** Layers offloaded to the GPU (0: all in RAM). */
  gpuLayers: z.number().int().nonnegative(),
  /** Conversations whose caches the model keeps warm at once (its context's sequences). */
  sequences: z.number().int().positive().optional(),
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;



// --- Cloud escalation

export const providerKindSchema = z.enum(["openai", "openai-compatible", "anthropic", "gemini"]);
export type ProviderKind = z.infer<typeof providerKindSchema>;

export const providerSchema = z.object({
  id: idSchema,
  kind: providerKindSchema,
  name: z.string(),
  /** Required for openai-compatible (vLLM, llama.cpp server, Ollama, OpenRouter, Azure); optional override for the others. */
  baseUrl: z.string().url().nullable(),
  /** Default model, e.g. "gpt-4.1", "claude-sonnet-4-5", "gemini-2.5-pro". */
  model: z.string().min(1).max(200),
  /** Whether a usable key is stored (bound to the base URL's origin); the key itself never leaves the core. */
  hasKey: z.boolean(),
  /** The origin (scheme://host:port) the key is bound to and sent to; null when there is none. */
  keyOrigin: z.string().max(2048).nullable().optional(),
  /** Why the key was removed (the base URL moved to another host), until one is entered again. */
  keyNotice: z.string().max(4096).nullable().optional(),
  /** Why the organisation's policy refuses this provider (its kind or host); null when allowed. Set by the core. */
  policyRefusal: z.string().max(2000).nullable().optional(),
  /** Its base URL is one of the policy's `internalHosts`: "your organisation's server", not "the cloud". Set by the core. */
  internal: z.boolean().optional(),
  /** Price per million tokens, for the audit log's cost estimate; null when unknown. */
  inputPricePerMTok: z.number().nonnegative().nullable(),
  outputPricePerMTok: z.number().nonnegative().nullable(),
  createdAt: z.number(),
});
export type Provider = z.infer<typeof providerSchema>;

export const routerDecisionSchema = z.object({
  score: z.number(),
  target: z.enum(["local", "cloud"]),
  threshold: z.number(),
  reasons: z.array(z.string()),
});
export type RouterDecisionInfo = z.infer<typeof routerDecisionSchema>;

export const payloadMessageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
export type PayloadMessage = z.infer<typeof payloadMessageSchema>;

/** A payload the user edited in the Ask-mode preview (reviseEscalation): bounded per message and in all. */
export const editedPayloadSchema = z
  .array(
    payloadMessageSchema.extend({
      content: z.string().max(MAX_PAYLOAD_MESSAGE_CHARS, `A message may be at most ${MAX_PAYLOAD_MESSAGE_CHARS} characters`),
    }),
  )
  .min(1)
  .max(MAX_PAYLOAD_MESSAGES, `A payload may have at most ${MAX_PAYLOAD_MESSAGES} messages`)
  .refine(
    (payload) => payload.reduce((sum, message) => sum + message.content.length, 0) <= MAX_PAYLOAD_TOTAL_CHARS,
    `A payload may be at most ${MAX_PAYLOAD_TOTAL_CHARS} characters in all`,
  );

export const redactionSchema = z.object({
  type: z.string(),
  placeholder: z.string(),
  /** The original value, shown only in this machine's preview so the user sees what was hidden. */
  original: z.string(),
  /**
   * Which payload message, and where the placeholder stands in ITS content as sent (the redacted text):
   * `payload[messageIndex].content.slice(start, end) === placeholder` (UTF-16 offsets, end exclusive). Never offsets
   * in the user's original text (the redactor's own results use those; they do not cross the contract). Reported
   * once per placeholder and message; the preview marks its other occurrences by shape.
   */
  messageIndex: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The local model's second check found this value (the first pass had missed it). */
  foundByLocalModel: z.boolean().optional(),
});
export type RedactionInfo = z.infer<typeof redactionSchema>;

/** The local model's second check of a proposal; absent while the setting is off. */
export const secondPassSchema = z.object({
  status: z.enum(["done", "timeout", "failed", "no-model", "not-capable"]),
  /** Distinct values it hid that the first pass had missed. */
  found: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** One line for the preview ("did not finish within 20 s; only the first pass hid values"). */
  message: z.string().max(500),
});
export type SecondPassInfo = z.infer<typeof secondPassSchema>;

export const proposalDoubtSchema = z.object({
  reason: z.enum(["credential", "disagreement", "low-confidence"]),
  type: z.string().max(64).optional(),
  note: z.string().max(300),
  /** Which payload message holds it. */
  messageIndex: z.number().int().nonnegative(),
});
export type ProposalDoubt = z.infer<typeof proposalDoubtSchema>;

/** The redactor's doubts of one kind, counted, with the value types they were about: never the text. */
export const doubtCountSchema = z.object({
  reason: proposalDoubtSchema.shape.reason,
  count: z.number().int().positive(),
  types: z.array(z.string().max(64)).max(32),
});
export type DoubtCount = z.infer<typeof doubtCountSchema>;

/**
 * Why a request was held for the user's approval and what the user decided, as the audit entry keeps it.
 * "ask-mode": Ask mode shows every payload first; "unsure": Auto mode asked because the redactor was not sure it
 * hid everything (the doubts that made it ask, counted by kind).
 */
export const auditReviewSchema = z.object({
  heldBecause: z.enum(["ask-mode", "unsure"]),
  doubts: z.array(doubtCountSchema).max(3),
  /** "sent": approved; "kept-local": refused, nothing left (the entry carries no payload). */
  decision: z.enum(["sent", "kept-local"]),
  /** The user edited the payload in the preview before deciding. */
  edited: z.boolean(),
  /** Bytes of the request body the user was shown. */
  bytes: z.number().int().nonnegative(),
});
export type AuditReview = z.infer<typeof auditReviewSchema>;

/** What would leave the machine, exactly: shown in Ask mode before anything is sent. */
export const escalationProposalSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  userMessageId: idSchema,
  providerId: idSchema,
  providerName: z.string(),
  model: z.string(),
  /** The redacted messages, in the order they would be sent. */
  payload: z.array(payloadMessageSchema),
  redactions: z.array(redactionSchema),
  /**
   * The exact HTTP request body that would leave (model, parameters and the redacted messages, JSON-escaped), built by
   * the provider's adapter without sending; a send whose body differs is refused. Bounded: JSON escaping can grow the
   * payload's text up to six-fold (\uXXXX), plus the envelope. Long message texts are not repeated here: each stands
   * as a reference to its payload message (so a proposal fits one bridge frame); `requestBodyOf(proposal)`
   * (request-body.ts) gives the exact body.
   */
  requestBody: z.string().max(MAX_PAYLOAD_TOTAL_CHARS * 6 + 64 * 1024),
  /** UTF-8 bytes of the exact body (`requestBodyOf(proposal)`): what leaves, exactly. */
  bytes: z.number().int().nonnegative(),
  /** Why escalation is proposed; null when the user asked for it by hand. */
  router: routerDecisionSchema.nullable(),
  /**
   * Cascade: the local answer (already given, and the conversation's last message) that the cloud answer would
   * replace, because it looks unsure. Absent or null for a proposal made before any local answer.
   */
  replacesMessageId: idSchema.nullable().optional(),
  /** The local model's second check, when the setting is on. */
  secondPass: secondPassSchema.optional(),
  /**
   * Why the redactor is not sure it hid everything in the messages that have not left yet (a password-like value,
   * detectors that disagree or are unsure). The notes never quote the text.
   */
  doubts: z.array(proposalDoubtSchema).max(10_000).optional(),
  /** Auto mode asked instead of sending because of `doubts` (the conversation stays in Auto). */
  askedBecauseUnsure: z.boolean().optional(),
  /** The doubts that made Auto ask, by kind: kept through Edits, so the audit entry says why it was held. */
  heldFor: z.array(doubtCountSchema).max(3).optional(),
  /** The user edited the payload in the preview (the audit entry records it). */
  edited: z.boolean().optional(),
  createdAt: z.number(),
});
export type EscalationProposal = z.infer<typeof escalationProposalSchema>;

export const auditEntrySchema = z.object({
  id: idSchema,
  time: z.number(),
  conversationId: z.string().nullable(),
  conversationTitle: z.string().nullable(),
  /** "chat" for cloud answers; "download" / "search" for Hugging Face traffic. */
  purpose: z.enum(["chat", "provider-test", "download", "search"]),
  providerName: z.string(),
  providerKind: z.string(),
  model: z.string().nullable(),
  /** Host the bytes went to. */
  host: z.string(),
  /** The exact request body that left the machine (the redacted payload for chat). */
  payload: z.string(),
  bytesSent: z.number().int().nonnegative(),
  bytesReceived: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative().nullable(),
  tokensOut: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  /** "declined": the user refused a held request; nothing left (no payload, 0 bytes sent). */
  outcome: z.enum(["ok", "error", "aborted", "declined"]),
  error: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  /** Held for the user's approval first: why, and the decision. Absent when it was not held. */
  review: auditReviewSchema.optional(),
  /**
   * Chat and provider tests: "organisation" when the host is one of the policy's `internalHosts` (still audited, shown
   * as "your organisation's server"), else "cloud". Absent for Hugging Face traffic and entries from before it.
   */
  destination: z.enum(["cloud", "organisation"]).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Whether the audit log is forwarded to the organisation's collector, and how far delivery has got. */
export const auditForwardingStatusSchema = z.object({
  configured: z.boolean(),
  kind: z.enum(["jsonl", "syslog", "https"]).nullable(),
  /** host:port, the URL without its query, or the path; never a header or credential. */
  target: z.string().max(4096).nullable(),
  /** The last audit chain seq the collector acknowledged (0: none yet). */
  deliveredSeq: z.number().int().nonnegative(),
  pendingCount: z.number().int().nonnegative(),
  lastError: z.string().max(1000).nullable(),
  lastErrorAt: z.number().nullable(),
  lastDeliveredAt: z.number().nullable(),
});
export type AuditForwardingStatus = z.infer<typeof auditForwardingStatusSchema>;

export const policySchema = z.object({
  /** Where the organisation policy was read from; null when there is none. */
  source: z.string().nullable(),
  /** Every conversation is in this mode and the user cannot change it. */
  lockedPrivacyMode: privacyModeSchema.nullable(),
  /** Provider kinds allowed (null: all). */
  allowedProviderKinds: z.array(providerKindSchema).nullable(),
  /** Base URL hosts allowed for providers (null: all). */
  allowedProviderHosts: z.array(z.string()).nullable(),
  /** The Hugging Face endpoint is fixed by the organisation. */
  huggingFaceEndpoint: z.string().url().nullable(),
  /** The database must be encrypted at rest (it is converted at start) and encryption cannot be turned off. */
  requireDatabaseEncryption: z.boolean(),
  /** Auto mode always asks before sending a message the redactor is unsure about; the user cannot turn it off. */
  forceAskWhenUnsure: z.boolean().optional(),
  /** false: the local OpenAI-compatible API server cannot be switched on (absent: allowed). */
  allowLocalApi: z.boolean().optional(),
  /** The organisation's own servers (host, host:port, [IPv6]:port, *.domain): still audited, labelled as theirs. */
  internalHosts: z.array(z.string().max(300)).max(1000).optional(),
});
export type Policy = z.infer<typeof policySchema>;

/** The policy when the organisation installed none: nothing locked, every provider kind and host allowed. */
export const emptyPolicy: Policy = {
  source: null,
  lockedPrivacyMode: null,
  allowedProviderKinds: null,
  allowedProviderHosts: null,
  huggingFaceEndpoint: null,
  requireDatabaseEncryption: false,
};

/** Where the database stands: normally "ok"; "recovery" after damage was found at start, until the user chooses. */
export const databaseStateSchema = z.object({
  status: z.enum(["ok", "recovery"]),
  /** What was wrong and where the damaged file (and its -wal/-shm) was moved; it is never deleted. */
  damage: z
    .object({ reason: z.string().max(4096), movedTo: z.array(z.string().max(4096)).max(4), detectedAt: z.number() })
    .nullable(),
  /** In recovery: the newest backup that passes quick_check, which restoring would use. */
  newestGoodBackup: z.object({ id: z.string().max(256), createdAt: z.number(), sizeBytes: z.number().nonnegative() }).nullable(),
  backupCount: z.number().int().nonnegative(),
  /** The backup restored in this session, if any. */
  restoredFrom: z.string().max(256).nullable(),
  encrypted: z.boolean(),
  /** The organisation policy requires encryption at rest. */
  encryptionRequired: z.boolean(),
  /** What seals the database key: the OS keychain (desktop) or a key file in the data folder (browser mode). */
  keyProtection: z.enum(["os-keychain", "file"]),
});
export type DatabaseState = z.infer<typeof databaseStateSchema>;

/** A named set of chat settings to reuse: applied to a chat's settings form, saved with the chat from there. */
export const presetSchema = z
  .object({
    id: idSchema,
    name: z.string().trim().min(1).max(80),
    systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS),
    temperature: z.number().min(0).max(2),
    maxOutputTokens: z.number().int().min(1).max(1_048_576).nullable(),
    sampling: samplingSettingsSchema,
  })
  .strict();
export type Preset = z.infer<typeof presetSchema>;
export const MAX_PRESETS = 50;

/** The app's colours: as the operating system is set, or always light, or always dark. */
export const themeSchema = z.enum(["system", "light", "dark"]);
export type Theme = z.infer<typeof themeSchema>;

export const appSettingsSchema = z.object({
  /** Base URL of Hugging Face or an organisation's mirror of it. */
  huggingFaceEndpoint: z.string().url(),
  /** Whether an access token for gated repositories is stored (the token itself never leaves the core). */
  hasHuggingFaceToken: z.boolean(),
  /** The origin (scheme://host:port) the stored token is bound to and sent to; null when none is usable. */
  huggingFaceTokenOrigin: z.string().max(2048).nullable(),
  /** Why the token was removed (the endpoint moved to another host), until one is entered again; null otherwise. */
  huggingFaceTokenNotice: z.string().max(4096).nullable(),
  /** Where downloaded models are kept. */
  modelsDir: z.string(),
  /** Shown next to secret fields when they are not protected by the OS keychain (browser mode). */
  secretsWarning: z.string().nullable(),
  /** Privacy mode of new conversations. */
  defaultPrivacyMode: privacyModeSchema,
  /** How readily the router proposes the cloud. */
  escalationLevel: escalationLevelSchema,
  /** User-defined terms always redacted before anything is sent (client names, project code names). */
  redactionTerms: z.array(z.string()),
  /** "Second check by the local model": the loaded model looks for values the redactor missed (off by default). */
  localModelCheck: z.boolean(),
  /** Auto mode asks before sending a message the redactor is unsure about (a password-like value...). */
  askWhenUnsure: z.boolean(),
  /** Light, dark, or as the system is set (the default). */
  theme: themeSchema,
  /** The system prompt new chats start with (each chat can change its own). */
  defaultSystemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS),
  /** Reusable chat settings, in the order the user saved them. */
  presets: z.array(presetSchema).max(MAX_PRESETS),
  /** The organisation's policy, when one is installed; locked settings are shown read-only. */
  policy: policySchema,
});
export type AppSettings = z.infer<typeof appSettingsSchema>;
