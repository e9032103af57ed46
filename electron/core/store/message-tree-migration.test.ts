import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../../../test/fixtures/paths.js";
import { textParts, type Message } from "../../contract/index.js";
import { fileKeyCipher } from "../secrets/secret-store.js";
import { DatabaseGuard } from "./database-guard.js";
import { migrations } from "./database.js";
import { Store } from "./store.js";

/** Written by the Store of commit c11081d (schema 3); see test/fixtures/db/README.md. */
const fixture = path.join(repoRoot, "test/fixtures/db/schema-v3.sqlite");

type OldMessageRow = {
  id: string; conversation_id: string; seq: number; role: "user" | "assistant"; content: string; reasoning: string;
  status: Message["status"]; model_id: string | null; model_name: string | null; stats: string | null;
  error: string | null; created_at: number; answered_by: string | null;
};

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** The fixture copied into a fresh folder: the committed file is never opened for writing. */
function copyOfFixture(name = "hearth.db"): string {
  const file = path.join(tempDir("hearth-tree-migration-"), name);
  fs.copyFileSync(fixture, file);
  return file;
}

/**
 * What the schema-3 Store's listMessages returned (every message of the conversation in seq order), plus the one
 * field the tree adds to a message: its parent, the message before it.
 */
function oldListing(file: string): Map<string, Message[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma("user_version", { simple: true })).toBe(3);
    const conversations = db.prepare("SELECT id FROM conversations").all() as { id: string }[];
    const listing = new Map<string, Message[]>();
    for (const { id } of conversations) {
      const rows = db.prepare("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq").all(id) as OldMessageRow[];
      listing.set(id, rows.map((row, i) => ({
        id: row.id,
        parentId: rows[i - 1]?.id ?? null,
        conversationId: row.conversation_id,
        role: row.role,
        content: row.content,
        reasoning: row.reasoning,
        // Derived when a message is read (a message is a list of parts); nothing about it is stored.
        parts: textParts(row.content, row.reasoning),
        status: row.status,
        modelId: row.model_id,
        modelName: row.model_name,
        stats: row.stats ? (JSON.parse(row.stats) as Message["stats"]) : null,
        error: row.error ? (JSON.parse(row.error) as Message["error"]) : null,
        answeredBy: row.answered_by ? (JSON.parse(row.answered_by) as Message["answeredBy"]) : null,
        createdAt: row.created_at,
      })));
    }
    return listing;
  } finally {
    db.close();
  }
}

const titled = (store: Store, title: string) => store.listConversations().find((c) => c.title === title)!;

describe("migration to conversation trees, on a database written by the schema-3 Store", () => {
  it("turns every conversation into one chain showing its last message; listMessages returns exactly the old listing", () => {
    const before = sha256(fixture);
    const file = copyOfFixture();
    const old = oldListing(file);
    expect([...old.values()].map((messages) => messages.length).sort()).toEqual([0, 4, 4, 6]);

    const store = new Store(file);
    try {
      expect(store.db.pragma("user_version", { simple: true })).toBe(migrations.length);
      for (const [conversationId, messages] of old) {
        expect(store.listMessages(conversationId)).toEqual(messages);
        const rows = store.db
          .prepare("SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY seq")
          .all(conversationId) as { id: string; parent_id: string | null }[];
        expect(rows.map((row) => row.parent_id)).toEqual(messages.map((_, i) => messages[i - 1]?.id ?? null));
        const { active_leaf_id } = store.db.prepare("SELECT active_leaf_id FROM conversations WHERE id = ?").get(conversationId) as {
          active_leaf_id: string | null;
        };
        expect(active_leaf_id).toBe(messages.at(-1)?.id ?? null);
        for (const message of messages) expect(store.siblings(message.id)).toEqual({ index: 1, count: 1, ids: [message.id] });
      }
      expect(store.db.pragma("foreign_key_check")).toEqual([]);
      expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");

      // What the fixture holds, read through the new code.
      const lamps = store.listMessages(titled(store, "Lighthouse lamps").id);
      expect(lamps.map((m) => [m.role, m.content, m.reasoning, m.status])).toEqual([
        ["user", "How often is the lamp trimmed?", "", "complete"],
        ["assistant", "Every evening at dusk.", "The keeper trims the wick daily.", "complete"],
        ["user", "And the lens?", "", "complete"],
        ["assistant", "The lens is polished", "Polishing happens", "streaming"],
      ]);
      expect(lamps[1]!.stats).toMatchObject({ outputTokens: 17, tokensPerSecond: 42.5 });
      const tides = store.listMessages(titled(store, "Tide tables").id);
      expect(tides.map((m) => m.answeredBy?.kind ?? null)).toEqual([null, "cloud", null, "local", null, null]);
      expect(tides[3]!.answeredBy?.failover).toBe(true);
      expect(tides[5]).toMatchObject({ status: "error", error: { code: "GENERATION_FAILED" } });
      expect(store.getSetting("theme")).toBe("dark");
      expect(store.markInterrupted()).toBe(1);
      expect(store.getMessage(lamps[3]!.id)).toMatchObject({ status: "interrupted", content: "The lens is polished" });
    } finally {
      store.close();
    }
    expect(sha256(fixture)).toBe(before);
  });

  it("a migrated conversation carries on as a tree: new messages follow the last one, a regenerated answer is a version", () => {
    const store = new Store(copyOfFixture());
    try {
      const knots = titled(store, "Knots").id;
      const [, , question, stopped] = store.listMessages(knots);
      const retry = store.addMessage({ conversationId: knots, role: "assistant", content: "Clove hitch.", status: "complete", parentId: question!.id });
      expect(store.siblings(retry.id)).toEqual({ index: 2, count: 2, ids: [stopped!.id, retry.id] });
      expect(store.listMessages(knots).map((m) => m.content)).toEqual(["Name a knot.", "Bowline.", "Another?", "Clove hitch."]);
      const next = store.addMessage({ conversationId: knots, role: "user", content: "Thanks", status: "complete" });
      expect(store.listBranchTo(next.id).map((m) => m.id).slice(-2)).toEqual([retry.id, next.id]);
      const empty = titled(store, "New chat").id;
      const first = store.addMessage({ conversationId: empty, role: "user", content: "Hello", status: "complete" });
      expect(store.listMessages(empty).map((m) => m.id)).toEqual([first.id]);
    } finally {
      store.close();
    }
  });

  it("opens through the app's database guard, which backs up the schema-3 file before migrating it", () => {
    const file = copyOfFixture();
    const dataDir = path.dirname(file);
    const old = oldListing(file);
    const guard = new DatabaseGuard({ dataDir, cipher: fileKeyCipher(path.join(dataDir, "secrets.key")), requireEncryption: () => false });
    try {
      const store = new Store(guard.db);
      for (const [conversationId, messages] of old) expect(store.listMessages(conversationId)).toEqual(messages);
      const backups = fs.readdirSync(path.join(dataDir, "backups")).filter((name) => name.endsWith("-migration.db"));
      expect(backups).toHaveLength(1);
      const copy = new Database(path.join(dataDir, "backups", backups[0]!), { readonly: true });
      expect(copy.pragma("user_version", { simple: true })).toBe(3);
      copy.close();
    } finally {
      guard.close();
    }
  });

  it("chains by seq, not by time or row order, across gaps and interleaved conversations", () => {
    const file = path.join(tempDir("hearth-tree-migration-"), "hearth.db");
    const db = new Database(file);
    for (let version = 0; version < 3; version++) {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
    const conversation = db.prepare(
      `INSERT INTO conversations (id, title, system_prompt, temperature, context_size, created_at, updated_at)
       VALUES (?, ?, '', 0.7, 4096, 0, 0)`,
    );
    conversation.run("a", "A");
    conversation.run("b", "B");
    const message = db.prepare(
      `INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at) VALUES (?, ?, ?, 'user', ?, 'complete', ?)`,
    );
    // Rows written out of order, with gaps in seq and times that disagree with it.
    message.run("a7", "a", 7, "a-third", 1);
    message.run("b2", "b", 2, "b-second", 5);
    message.run("a1", "a", 1, "a-first", 9);
    message.run("a3", "a", 3, "a-second", 2);
    message.run("b1", "b", 1, "b-first", 3);
    db.close();

    const store = new Store(file);
    try {
      expect(store.listMessages("a").map((m) => m.id)).toEqual(["a1", "a3", "a7"]);
      expect(store.listMessages("b").map((m) => m.id)).toEqual(["b1", "b2"]);
      expect(store.tree.activeLeaf("a")).toBe("a7");
      expect(store.tree.pathTo("a7")).toEqual(["a1", "a3", "a7"]);
    } finally {
      store.close();
    }
  });
});
