import type { ConversationSettings, ExportedMessage, MessageStatus, PrivacyMode } from "../../contract/index.js";
import type { Db } from "./database.js";
import { SAMPLING_PREFIX, serializeSampling } from "./sampling-setting.js";

/** A whole conversation as stored: its row and every message of its tree, oldest first. */
export type ConversationTree = {
  messages: ExportedMessage[];
  /** The leaf the conversation shows, as stored (the reader falls back when it is missing; see MessageTree). */
  activeLeafId: string | null;
};

type TreeRow = {
  id: string; parent_id: string | null; role: "user" | "assistant"; content: string; reasoning: string;
  status: MessageStatus; model_id: string | null; model_name: string | null; stats: string | null;
  error: string | null; answered_by: string | null; created_at: number;
};

/** Every message of a conversation (all versions), in `seq` order: a message always after the one it follows. */
export function readConversationTree(db: Db, conversationId: string): ConversationTree {
  return db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT id, parent_id, role, content, reasoning, status, model_id, model_name, stats, error, answered_by,
           created_at FROM messages WHERE conversation_id = ? ORDER BY seq`,
      )
      .all(conversationId) as TreeRow[];
    const leaf = db.prepare("SELECT active_leaf_id FROM conversations WHERE id = ?").get(conversationId) as
      | { active_leaf_id: string | null }
      | undefined;
    return {
      messages: rows.map((row) => ({
        id: row.id,
        parentId: row.parent_id,
        role: row.role,
        content: row.content,
        reasoning: row.reasoning,
        status: row.status,
        modelId: row.model_id,
        modelName: row.model_name,
        stats: row.stats ? JSON.parse(row.stats) : null,
        error: row.error ? JSON.parse(row.error) : null,
        answeredBy: row.answered_by ? JSON.parse(row.answered_by) : null,
        createdAt: row.created_at,
      })),
      activeLeafId: leaf?.active_leaf_id ?? null,
    };
  })();
}

/** A conversation ready to insert: ids already fresh, messages ordered parents first, references checked. */
export type NewConversationTree = {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  settings: Omit<ConversationSettings, "privacyMode" | "contextOverflow"> & { privacyMode: PrivacyMode };
  stopAndAsk: boolean;
  messages: ExportedMessage[];
  activeLeafId: string | null;
};

/** The settings key store.ts reads for a conversation that stops and asks at a full context. */
const ASKS_PREFIX = "context-overflow-asks:";

/** Inserts whole conversations in one transaction: all of them or (on any failure) none. */
export function insertConversationTrees(db: Db, trees: readonly NewConversationTree[]): void {
  const conversation = db.prepare(
    `INSERT INTO conversations (id, title, model_id, system_prompt, temperature, context_size, max_output_tokens,
       privacy_mode, cloud_provider_id, created_at, updated_at, active_leaf_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (id, conversation_id, parent_id, seq, role, content, reasoning, status, model_id,
       model_name, stats, error, answered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const asks = db.prepare("INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'");
  const sampling = db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  db.transaction(() => {
    for (const tree of trees) {
      const s = tree.settings;
      // The leaf is set last: the row it names must exist for the reader to use it.
      conversation.run(tree.id, tree.title, s.modelId, s.systemPrompt, s.temperature, s.contextSize, s.maxOutputTokens,
        s.privacyMode, s.cloudProviderId, tree.createdAt, tree.updatedAt, null);
      tree.messages.forEach((m, index) => {
        message.run(m.id, tree.id, m.parentId, index + 1, m.role, m.content, m.reasoning, m.status, m.modelId,
          m.modelName, m.stats ? JSON.stringify(m.stats) : null, m.error ? JSON.stringify(m.error) : null,
          m.answeredBy ? JSON.stringify(m.answeredBy) : null, m.createdAt);
      });
      db.prepare("UPDATE conversations SET active_leaf_id = ? WHERE id = ?").run(tree.activeLeafId, tree.id);
      if (tree.stopAndAsk) asks.run(ASKS_PREFIX + tree.id);
      if (s.sampling) sampling.run(SAMPLING_PREFIX + tree.id, serializeSampling(s.sampling));
    }
  })();
}
