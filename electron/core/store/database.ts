import Database from "better-sqlite3-multiple-ciphers";
import path from "node:path";
import { ensurePrivateDir, ensurePrivateFile } from "./private-files.js";

export type Db = Database.Database;

/** Ordered schema steps; the index + 1 is the schema version stored in `user_version`. Never edit a shipped step. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size_bytes INTEGER NOT NULL,
    architecture TEXT NOT NULL,
    parameters REAL,
    quantization TEXT,
    train_context_length INTEGER,
    has_chat_template INTEGER NOT NULL,
    added_at INTEGER NOT NULL
  );
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    model_id TEXT,
    system_prompt TEXT NOT NULL,
    temperature REAL NOT NULL,
    context_size INTEGER NOT NULL,
    max_output_tokens INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX conversations_updated ON conversations(updated_at DESC);
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    reasoning TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    model_id TEXT,
    model_name TEXT,
    stats TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
  );
  `,
  `
  ALTER TABLE models ADD COLUMN source TEXT NOT NULL DEFAULT 'imported';
  ALTER TABLE models ADD COLUMN repo TEXT;
  ALTER TABLE models ADD COLUMN card TEXT;
  CREATE TABLE downloads (
    id TEXT PRIMARY KEY,
    repo TEXT NOT NULL,
    file_name TEXT NOT NULL,
    catalog_id TEXT,
    status TEXT NOT NULL,
    total_bytes INTEGER NOT NULL DEFAULT 0,
    downloaded_bytes INTEGER NOT NULL DEFAULT 0,
    expected_sha256 TEXT,
    error TEXT,
    model_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  ALTER TABLE conversations ADD COLUMN privacy_mode TEXT NOT NULL DEFAULT 'local';
  ALTER TABLE conversations ADD COLUMN cloud_provider_id TEXT;
  -- Placeholder map of the redactor for this conversation (values seen -> [TYPE_n]), so placeholders stay stable.
  ALTER TABLE conversations ADD COLUMN placeholder_map TEXT;
  ALTER TABLE messages ADD COLUMN answered_by TEXT;
  CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    base_url TEXT,
    model TEXT NOT NULL,
    input_price REAL,
    output_price REAL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE escalation_proposals (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- Append-only record of every byte that left the machine. No UPDATE except filling in a request's outcome.
  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    conversation_id TEXT,
    conversation_title TEXT,
    purpose TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    provider_kind TEXT NOT NULL,
    model TEXT,
    host TEXT NOT NULL,
    payload TEXT NOT NULL,
    bytes_sent INTEGER NOT NULL,
    bytes_received INTEGER NOT NULL DEFAULT 0,
    tokens_in INTEGER,
    tokens_out INTEGER,
    cost_usd REAL,
    outcome TEXT NOT NULL,
    error TEXT,
    duration_ms REAL
  );
  CREATE INDEX audit_log_conversation ON audit_log(conversation_id, time);
  `,
  `
  -- Conversations become trees (message-tree.ts): a message hangs under the one it follows (NULL for a first
  -- message), a new attempt is a new row beside the old one, and the conversation remembers the leaf it shows.
  ALTER TABLE messages ADD COLUMN parent_id TEXT REFERENCES messages(id);
  -- Kept by the store in the same transaction as every insert and delete, not by a foreign key: one would make
  -- deleting a long conversation search conversations once per message.
  ALTER TABLE conversations ADD COLUMN active_leaf_id TEXT;
  -- Every existing conversation is linear: one chain in seq order, showing its last message.
  UPDATE messages SET parent_id = (
    SELECT p.id FROM messages p WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq
    ORDER BY p.seq DESC LIMIT 1
  );
  UPDATE conversations SET active_leaf_id = (
    SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.seq DESC LIMIT 1
  );
  -- Children (and first messages) of a conversation in order; parent_id leads so the foreign key's check on a
  -- delete is an index lookup.
  CREATE INDEX messages_tree ON messages(parent_id, conversation_id, seq);
  -- Nothing is overwritten: a message never moves, so no edit can make a cycle or cross conversations.
  CREATE TRIGGER messages_parent_fixed BEFORE UPDATE OF parent_id, conversation_id ON messages
  WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.conversation_id IS NOT NEW.conversation_id
  BEGIN SELECT RAISE(ABORT, 'a message never moves to another parent or conversation'); END;
  CREATE TRIGGER messages_parent_same_conversation BEFORE INSERT ON messages
  WHEN NEW.parent_id IS NOT NULL AND (NEW.parent_id = NEW.id
    OR (SELECT conversation_id FROM messages WHERE id = NEW.parent_id) IS NOT NEW.conversation_id)
  BEGIN SELECT RAISE(ABORT, 'a message follows an earlier message of the same conversation'); END;
  `,
  `
  -- The turn engine's state (electron/core/chat/turn/), one row per turn not yet over: a turn killed in any
  -- state reopens from here (turn-store.ts). Its attempts are message rows; the state says which is which.
  CREATE TABLE turns (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_message_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX turns_by_conversation ON turns(conversation_id);
  `,
  `
  -- Full-text search (conversation-search.ts): one FTS5 document per conversation title and per message. Documents
  -- are numbered by search_docs, not by the implicit rowids of conversations and messages, which VACUUM (and so a
  -- VACUUM INTO backup) may renumber.
  CREATE TABLE search_docs (
    docid INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    message_id TEXT UNIQUE
  );
  CREATE INDEX search_docs_conversation ON search_docs(conversation_id);
  CREATE UNIQUE INDEX search_docs_title ON search_docs(conversation_id) WHERE message_id IS NULL;
  CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO search_docs (conversation_id, message_id) SELECT id, NULL FROM conversations;
  INSERT INTO search_docs (conversation_id, message_id) SELECT conversation_id, id FROM messages;
  INSERT INTO search_index (rowid, title, body)
    SELECT d.docid, c.title, '' FROM search_docs d JOIN conversations c ON c.id = d.conversation_id
    WHERE d.message_id IS NULL;
  INSERT INTO search_index (rowid, title, body)
    SELECT d.docid, '', m.content FROM search_docs d JOIN messages m ON m.id = d.message_id;
  CREATE TRIGGER search_conversation_added AFTER INSERT ON conversations BEGIN
    INSERT INTO search_docs (conversation_id, message_id) VALUES (NEW.id, NULL);
    INSERT INTO search_index (rowid, title, body)
      VALUES ((SELECT docid FROM search_docs WHERE conversation_id = NEW.id AND message_id IS NULL), NEW.title, '');
  END;
  CREATE TRIGGER search_conversation_renamed AFTER UPDATE OF title ON conversations
  WHEN OLD.title IS NOT NEW.title BEGIN
    UPDATE search_index SET title = NEW.title
    WHERE rowid = (SELECT docid FROM search_docs WHERE conversation_id = NEW.id AND message_id IS NULL);
  END;
  -- Also drops the conversation's message documents, in case its messages went without their delete triggers.
  CREATE TRIGGER search_conversation_deleted AFTER DELETE ON conversations BEGIN
    DELETE FROM search_index WHERE rowid IN (SELECT docid FROM search_docs WHERE conversation_id = OLD.id);
    DELETE FROM search_docs WHERE conversation_id = OLD.id;
  END;
  CREATE TRIGGER search_message_added AFTER INSERT ON messages BEGIN
    INSERT INTO search_docs (conversation_id, message_id) VALUES (NEW.conversation_id, NEW.id);
    INSERT INTO search_index (rowid, title, body)
      VALUES ((SELECT docid FROM search_docs WHERE message_id = NEW.id), '', NEW.content);
  END;
  -- A streaming answer is saved every few hundred ms: it is indexed once it ends (finished, stopped, interrupted),
  -- not re-tokenized at every save.
  CREATE TRIGGER search_message_changed AFTER UPDATE OF content, status ON messages
  WHEN NEW.status <> 'streaming' AND (OLD.content IS NOT NEW.content OR OLD.status = 'streaming') BEGIN
    UPDATE search_index SET body = NEW.content
    WHERE rowid = (SELECT docid FROM search_docs WHERE message_id = NEW.id);
  END;
  CREATE TRIGGER search_message_deleted AFTER DELETE ON messages BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT docid FROM search_docs WHERE message_id = OLD.id);
    DELETE FROM search_docs WHERE message_id = OLD.id;
  END;
  `,
];

/** The schema version this build writes. */
export const schemaVersion = migrations.length;

export type ConnectOptions = {
  /** 32 random bytes for an encrypted database (SQLite3 Multiple Ciphers' default cipher); null for plaintext. */
  key?: Buffer | null;
  readonly?: boolean;
  fileMustExist?: boolean;
};

/** A bare connection, keyed before anything else touches the file; no pragmas, no migrations. */
export function connect(file: string, options: ConnectOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false });
  try {
    // db.key takes the bytes, so the key never appears in SQL text or in an error message.
    if (options.key) db.key(options.key);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export type OpenOptions = {
  key?: Buffer | null;
  /** Runs once before the first pending migration of a database that already has a schema (to back it up). */
  beforeMigrate?: (db: Db, fromVersion: number) => void;
};

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ":memory:") {
    ensurePrivateDir(path.dirname(file));
    ensurePrivateFile(file);
  }
  const db = connect(file, { key: options.key });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
    db.pragma("synchronous = NORMAL");
    migrate(db, options.beforeMigrate);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Db, beforeMigrate?: OpenOptions["beforeMigrate"]): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`The database was written by a newer Hearth (schema ${current}); update the app.`);
  }
  if (current > 0 && current < migrations.length) beforeMigrate?.(db, current);
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
