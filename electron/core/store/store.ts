import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  AppError,
  defaultConversationSettings,
  type ContextOverflow,
  type Conversation,
  type ConversationSettings,
  type Message,
  type MessageStats,
  type EscalationProposal,
  type MessageStatus,
  type ModelInfo,
  type PrivacyMode,
  type SamplingSettings,
  type SerializedAppError,
  textParts,
} from "../../contract/index.js";
import { openDatabase, type Db } from "./database.js";
import { reportDiskFullAsAppError } from "./disk-full.js";
import { parseSampling, SAMPLING_PREFIX, serializeSampling } from "./sampling-setting.js";
import { MessageTree, type Siblings } from "./message-tree.js";
import { UnsavedAnswers, type FinishFields } from "./unsaved-answers.js";

type ModelRow = {
  id: string; name: string; path: string; size_bytes: number; architecture: string; parameters: number | null;
  quantization: string | null; train_context_length: number | null; has_chat_template: number; added_at: number;
  source: "imported" | "downloaded"; repo: string | null; card: string | null;
};
type ConversationRow = {
  id: string; title: string; model_id: string | null; system_prompt: string; temperature: number;
  context_size: number; max_output_tokens: number | null; created_at: number; updated_at: number;
  privacy_mode: PrivacyMode; cloud_provider_id: string | null;
};
type MessageRow = {
  id: string; conversation_id: string; seq: number; role: "user" | "assistant"; content: string; reasoning: string;
  status: MessageStatus; model_id: string | null; model_name: string | null; stats: string | null;
  error: string | null; created_at: number; answered_by: string | null; parent_id: string | null;
};

export type AnsweredBy = NonNullable<Message["answeredBy"]>;

export type StoredModel = Omit<ModelInfo, "available" | "usedBy">;
export type NewModel = Omit<StoredModel, "id" | "addedAt" | "source" | "repo" | "card"> &
  Partial<Pick<StoredModel, "source" | "repo" | "card">>;

const toModel = (row: ModelRow): StoredModel => ({
  id: row.id,
  name: row.name,
  path: row.path,
  sizeBytes: row.size_bytes,
  architecture: row.architecture,
  parameters: row.parameters,
  quantization: row.quantization,
  trainContextLength: row.train_context_length,
  hasChatTemplate: row.has_chat_template === 1,
  addedAt: row.added_at,
  source: row.source,
  repo: row.repo,
  card: row.card,
});

const toConversation = (row: ConversationRow, contextOverflow: ContextOverflow, sampling: SamplingSettings): Conversation => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  settings: {
    modelId: row.model_id,
    systemPrompt: row.system_prompt,
    temperature: row.temperature,
    contextSize: row.context_size,
    maxOutputTokens: row.max_output_tokens,
    privacyMode: row.privacy_mode,
    cloudProviderId: row.cloud_provider_id,
    contextOverflow,
    sampling,
  },
});

/**
 * A conversation set to stop and ask at a full context has this key in `settings`; every other one (and every
 * conversation stored before the setting existed) drops the oldest messages, the default. Kept there rather than in
 * a column so the setting needs no schema step of its own.
 */
const ASKS_PREFIX = "context-overflow-asks:";

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  conversationId: row.conversation_id,
  role: row.role,
  content: row.content,
  reasoning: row.reasoning,
  // Only text and reasoning are stored today; other parts will get their own column.
  parts: textParts(row.content, row.reasoning, [], row.stats ? (JSON.parse(row.stats) as MessageStats).reasoningMs : undefined),
  status: row.status,
  modelId: row.model_id,
  modelName: row.model_name,
  stats: row.stats ? (JSON.parse(row.stats) as MessageStats) : null,
  error: row.error ? (JSON.parse(row.error) as SerializedAppError) : null,
  answeredBy: row.answered_by ? (JSON.parse(row.answered_by) as AnsweredBy) : null,
  createdAt: row.created_at,
  parentId: row.parent_id,
});

/** All persistence. Synchronous (better-sqlite3): each call is one short transaction on the main thread. */
export class Store {
  /** The open database, for repositories of other services (downloads) that share it. */
  readonly db: Db;
  /** Parents, versions and the active branch of each conversation's messages. */
  readonly tree: MessageTree;
  private readonly now: () => number;
  /** Answers that ended while the disk was full: shown as they ended, written once there is room. */
  private readonly unsaved = new UnsavedAnswers();

  /** A file path opens (and migrates) it; an open connection (the guarded one, see database-guard.ts) is used as is. */
  constructor(file: string | Db, now: () => number = Date.now) {
    this.db = typeof file === "string" ? openDatabase(file) : file;
    this.now = now;
    this.tree = new MessageTree(this.db);
    // A full disk surfaces from any statement or commit: every method reports it as DISK_FULL.
    reportDiskFullAsAppError(this, path.dirname(typeof file === "string" ? file : file.name));
  }

  close(): void {
    if (!this.db.open) return;
    this.flushUnsaved();
    this.db.close();
  }

  // --- models
  listModels(): StoredModel[] {
    return (this.db.prepare("SELECT * FROM models ORDER BY added_at").all() as ModelRow[]).map(toModel);
  }

  getModel(id: string): StoredModel | null {
    const row = this.db.prepare("SELECT * FROM models WHERE id = ?").get(id) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  findModelByPath(file: string): StoredModel | null {
    const row = this.db.prepare("SELECT * FROM models WHERE path = ?").get(file) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  addModel(model: NewModel): StoredModel {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO models (id, name, path, size_bytes, architecture, parameters, quantization,
           train_context_length, has_chat_template, added_at, source, repo, card)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, model.name, model.path, model.sizeBytes, model.architecture, model.parameters, model.quantization,
        model.trainContextLength, model.hasChatTemplate ? 1 : 0, this.now(), model.source ?? "imported",
        model.repo ?? null, model.card ?? null);
    return this.getModel(id)!;
  }

  removeModel(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare("UPDATE conversations SET model_id = NULL WHERE model_id = ?").run(id);
      return this.db.prepare("DELETE FROM models WHERE id = ?").run(id).changes > 0;
    })();
  }

  /** Conversations that use a model, for "used by" in the model manager. */
  conversationsUsingModel(modelId: string): { id: string; title: string }[] {
    return this.db
      .prepare("SELECT id, title FROM conversations WHERE model_id = ? ORDER BY updated_at DESC")
      .all(modelId) as { id: string; title: string }[];
  }

  // --- settings (non-secret; secrets live in the SecretStore)
  getSetting(key: string): string | null {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) this.db.prepare("DELETE FROM settings WHERE key = ?").run(key);
    else this.db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  // --- conversations
  listConversations(): Conversation[] {
    const rows = this.db.prepare("SELECT * FROM conversations ORDER BY updated_at DESC, created_at DESC, id DESC").all();
    return this.toConversations(rows as ConversationRow[]);
  }

  /**
   * One page of the list, in the same order: the `limit` conversations after `before` (the id of the last one of the
   * previous page). NOT_FOUND when `before` is no conversation (deleted meanwhile): the caller reloads the list.
   */
  listConversationsPage({ before, limit }: { before?: string; limit: number }): Conversation[] {
    const order = "ORDER BY updated_at DESC, created_at DESC, id DESC LIMIT ?";
    if (before === undefined) {
      return this.toConversations(this.db.prepare(`SELECT * FROM conversations ${order}`).all(limit) as ConversationRow[]);
    }
    const at = this.db.prepare("SELECT updated_at, created_at, id FROM conversations WHERE id = ?").get(before) as
      | { updated_at: number; created_at: number; id: string }
      | undefined;
    if (!at) throw new AppError("NOT_FOUND", "The conversation list changed while it was loading. Reload it.");
    const rows = this.db
      .prepare(`SELECT * FROM conversations WHERE (updated_at, created_at, id) < (?, ?, ?) ${order}`)
      .all(at.updated_at, at.created_at, at.id, limit);
    return this.toConversations(rows as ConversationRow[]);
  }

  private toConversations(rows: ConversationRow[]): Conversation[] {
    const keys = this.db.prepare("SELECT key FROM settings WHERE substr(key, 1, ?) = ?").all(ASKS_PREFIX.length, ASKS_PREFIX) as { key: string }[];
    const asking = new Set(keys.map((k) => k.key.slice(ASKS_PREFIX.length)));
    const samplingRows = this.db.prepare("SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?").all(SAMPLING_PREFIX.length, SAMPLING_PREFIX) as { key: string; value: string }[];
    const sampling = new Map(samplingRows.map((r) => [r.key.slice(SAMPLING_PREFIX.length), r.value]));
    return rows.map((row) =>
      toConversation(row, asking.has(row.id) ? "stop-and-ask" : "drop-oldest", parseSampling(sampling.get(row.id))),
    );
  }

  getConversation(id: string): Conversation | null {
    const row = this.db.prepare("SELECT * FROM conversations WHERE id = ?").get(id) as ConversationRow | undefined;
    if (!row) return null;
    return toConversation(row, this.getSetting(ASKS_PREFIX + id) !== null ? "stop-and-ask" : "drop-oldest", parseSampling(this.getSetting(SAMPLING_PREFIX + id)));
  }

  /** The conversation, or NOT_FOUND when it does not exist (never did, or was deleted meanwhile). */
  requireConversation(id: string): Conversation {
    const conversation = this.getConversation(id);
    if (!conversation) throw new AppError("NOT_FOUND", "That conversation no longer exists.");
    return conversation;
  }

  createConversation(modelId: string | null, privacyMode: PrivacyMode = "local", systemPrompt = defaultConversationSettings.systemPrompt): Conversation {
    const id = randomUUID();
    const now = this.now();
    const d = defaultConversationSettings;
    this.db
      .prepare(
        `INSERT INTO conversations (id, title, model_id, system_prompt, temperature, context_size, max_output_tokens,
           privacy_mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, "New chat", modelId, systemPrompt, d.temperature, d.contextSize, d.maxOutputTokens, privacyMode, now, now);
    return this.getConversation(id)!;
  }

  renameConversation(id: string, title: string): void {
    this.db.prepare("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?").run(title, this.now(), id);
  }

  updateConversationSettings(id: string, settings: Partial<ConversationSettings>): void {
    const current = this.getConversation(id);
    if (!current) return;
    const s = { ...current.settings, ...settings };
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE conversations SET model_id = ?, system_prompt = ?, temperature = ?, context_size = ?,
             max_output_tokens = ?, privacy_mode = ?, cloud_provider_id = ?, updated_at = ? WHERE id = ?`,
        )
        .run(s.modelId, s.systemPrompt, s.temperature, s.contextSize, s.maxOutputTokens, s.privacyMode,
          s.cloudProviderId, this.now(), id);
      this.setSetting(ASKS_PREFIX + id, s.contextOverflow === "stop-and-ask" ? "1" : null);
      if (settings.sampling) this.setSetting(SAMPLING_PREFIX + id, serializeSampling(settings.sampling));
    })();
  }

  deleteConversation(id: string): boolean {
    return this.db.transaction(() => {
      this.setSetting(ASKS_PREFIX + id, null);
      this.setSetting(SAMPLING_PREFIX + id, null);
      return this.db.prepare("DELETE FROM conversations WHERE id = ?").run(id).changes > 0;
    })();
  }

  touchConversation(id: string): void {
    this.db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?").run(this.now(), id);
  }

  // --- messages
  /** The active branch, first message first: what the conversation shows and what a new answer follows. */
  listMessages(conversationId: string): Message[] {
    return this.db.transaction(() => this.messagesByIds(this.tree.activeBranch(conversationId)))();
  }

  /** The active branch with each message's versions (`versionIds`, when it has more than one), for the UI. */
  listActiveBranch(conversationId: string): Message[] {
    return this.db.transaction(() => this.withVersions(this.messagesByIds(this.tree.activeBranch(conversationId))))();
  }

  /**
   * A page of the active branch for the UI, from the leaf up: the `limit` messages just above `before` (the latest
   * when absent), with their versions, and whether older ones remain. A long chat opens without reading it all.
   */
  listActiveBranchPage(conversationId: string, page: { before?: string; limit: number }): { messages: Message[]; hasOlder: boolean } {
    return this.db.transaction(() => {
      const { ids, hasOlder } = this.tree.activeBranchPage(conversationId, page);
      return { messages: this.withVersions(this.messagesByIds(ids)), hasOlder };
    })();
  }

  private withVersions(messages: Message[]): Message[] {
    const versions = this.tree.versionsOf(messages.map((m) => m.id));
    return messages.map((m) => {
      const ids = versions.get(m.id);
      return ids && ids.length > 1 ? { ...m, versionIds: ids } : m;
    });
  }

  /** The messages from the first one down to `messageId`, inclusive. */
  listBranchTo(messageId: string): Message[] {
    return this.db.transaction(() => this.messagesByIds(this.tree.pathTo(messageId)))();
  }

  private messagesByIds(ids: string[]): Message[] {
    const rows = this.db
      .prepare("SELECT m.* FROM json_each(?) AS j JOIN messages AS m ON m.id = j.value ORDER BY j.key")
      .all(JSON.stringify(ids)) as MessageRow[];
    return rows.map((row) => this.unsaved.apply(toMessage(row)));
  }

  /** The versions of a message, for `‹ index/count ›`. */
  siblings(messageId: string): Siblings {
    return this.tree.siblings(messageId);
  }

  /** Shows the branch through a chosen version (its most recent continuation); returns the new active leaf. */
  setActiveVersion(messageId: string): string {
    return this.db.transaction(() => this.tree.setActiveVersion(messageId).activeLeafId)();
  }

  getMessage(id: string): Message | null {
    const row = this.db.prepare("SELECT * FROM messages WHERE id = ?").get(id) as MessageRow | undefined;
    return row ? this.unsaved.apply(toMessage(row)) : null;
  }

  /**
   * Adds a message under `parentId` (by default the active leaf; null starts a new first message) and shows it: the
   * active leaf moves to it. Nothing is replaced; a new version of a message is a new row under the same parent.
   */
  addMessage(
    message: Pick<Message, "conversationId" | "role" | "content" | "status"> &
      Partial<Pick<Message, "modelId" | "modelName">> & { parentId?: string | null; id?: string },
  ): Message {
    // A turn's attempt brings its own id (derived from the turn's), so the state and the row name the same message.
    const id = message.id ?? randomUUID();
    this.flushUnsaved();
    this.db.transaction(() => {
      const parentId = this.tree.parentForNew(message.conversationId, message.parentId);
      const { next } = this.db
        .prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE conversation_id = ?")
        .get(message.conversationId) as { next: number };
      this.db
        .prepare(
          `INSERT INTO messages (id, conversation_id, parent_id, seq, role, content, status, model_id, model_name,
             created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, message.conversationId, parentId, next, message.role, message.content, message.status,
          message.modelId ?? null, message.modelName ?? null, this.now());
      this.db
        .prepare("UPDATE conversations SET updated_at = ?, active_leaf_id = ? WHERE id = ?")
        .run(this.now(), id, message.conversationId);
    })();
    return this.getMessage(id)!;
  }

  /** Saves a streaming answer so far; called every few hundred ms so a crash loses at most that much. */
  saveProgress(id: string, content: string, reasoning: string): void {
    this.db.prepare("UPDATE messages SET content = ?, reasoning = ? WHERE id = ?").run(content, reasoning, id);
  }

  /** On a full disk the final state is kept in memory (reads show it) and written later; it still throws DISK_FULL. */
  finishMessage(id: string, fields: FinishFields): void {
    this.flushUnsaved();
    try {
      this.writeFinish(id, fields);
      this.unsaved.forget(id);
    } catch (error) {
      this.unsaved.keep(id, fields);
      throw error;
    }
  }

  private flushUnsaved(): void {
    this.unsaved.flush((id, fields) => this.writeFinish(id, fields));
  }

  private writeFinish(id: string, fields: FinishFields): void {
    this.db
      .prepare("UPDATE messages SET content = ?, reasoning = ?, status = ?, stats = ?, error = ? WHERE id = ?")
      .run(fields.content, fields.reasoning, fields.status, fields.stats ? JSON.stringify(fields.stats) : null,
        fields.error ? JSON.stringify(fields.error) : null, id);
  }

  /** Who answers (and under which model name the answer is shown); changes when a cloud answer fails over. */
  setAnsweredBy(id: string, answeredBy: AnsweredBy, modelName?: string): void {
    this.db
      .prepare("UPDATE messages SET answered_by = ?, model_name = COALESCE(?, model_name) WHERE id = ?")
      .run(JSON.stringify(answeredBy), modelName ?? null, id);
  }

  // --- redaction placeholders and Ask-mode proposals, per conversation
  getPlaceholderMap<T>(conversationId: string): T | null {
    const row = this.db.prepare("SELECT placeholder_map FROM conversations WHERE id = ?").get(conversationId) as
      | { placeholder_map: string | null }
      | undefined;
    return row?.placeholder_map ? (JSON.parse(row.placeholder_map) as T) : null;
  }

  setPlaceholderMap(conversationId: string, map: unknown): void {
    this.db.prepare("UPDATE conversations SET placeholder_map = ? WHERE id = ?").run(JSON.stringify(map), conversationId);
  }

  /** One pending proposal per conversation: a new one replaces the old. */
  saveProposal(proposal: EscalationProposal): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM escalation_proposals WHERE conversation_id = ?").run(proposal.conversationId);
      this.db
        .prepare("INSERT INTO escalation_proposals (id, conversation_id, body, created_at) VALUES (?, ?, ?, ?)")
        .run(proposal.id, proposal.conversationId, JSON.stringify(proposal), proposal.createdAt);
    })();
  }

  pendingProposal(conversationId: string): EscalationProposal | null {
    const row = this.db.prepare("SELECT body FROM escalation_proposals WHERE conversation_id = ?").get(conversationId) as
      | { body: string }
      | undefined;
    return row ? (JSON.parse(row.body) as EscalationProposal) : null;
  }

  deleteProposal(conversationId: string): void {
    this.db.prepare("DELETE FROM escalation_proposals WHERE conversation_id = ?").run(conversationId);
  }

  /**
   * Deletes a message and everything below it; if the conversation showed one of them, it shows the most recent
   * remaining version instead (else the parent). A message already gone is not an error. Returns the ids removed.
   */
  deleteMessage(id: string): string[] {
    const deleted = this.db.transaction(() => (this.getMessage(id) ? this.tree.deleteSubtree(id).deleted : []))();
    for (const gone of deleted) this.unsaved.forget(gone);
    return deleted;
  }

  /** After a crash: answers that were streaming are kept, marked interrupted. Returns how many. */
  markInterrupted(): number {
    return this.db.prepare("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'").run().changes;
  }
}
