import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, describe, expect, it } from "vitest";
import { fileKeyCipher } from "../secrets/secret-store.js";
import { DatabaseGuard } from "./database-guard.js";
import { migrations } from "./database.js";
import { Store } from "./store.js";

const open: DatabaseGuard[] = [];
afterEach(() => {
  for (const guard of open.splice(0)) guard.close();
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "hearth-guard-"));
}

function guardAt(dataDir: string, options: { keep?: number; requireEncryption?: boolean } = {}): DatabaseGuard {
  const guard = new DatabaseGuard({
    dataDir,
    cipher: fileKeyCipher(path.join(dataDir, "secrets.key")),
    requireEncryption: () => options.requireEncryption ?? false,
    keepBackups: options.keep,
  });
  open.push(guard);
  return guard;
}

function close(guard: DatabaseGuard): void {
  guard.close();
  open.splice(open.indexOf(guard), 1);
}

/** A data folder with one conversation of two messages, closed, with the start backups its two opens made. */
function folderWithConversation(): { dataDir: string; conversationId: string } {
  const dataDir = tempDir();
  const first = guardAt(dataDir);
  const store = new Store(first.db);
  const conversation = store.createConversation(null);
  store.renameConversation(conversation.id, "Kept in the backup");
  store.addMessage({ conversationId: conversation.id, role: "user", content: "the lighthouse keeper's question", status: "complete" });
  store.addMessage({ conversationId: conversation.id, role: "assistant", content: "the answer about the lamp", status: "complete" });
  close(first);
  // The second start checks the file and backs it up with the conversation in it.
  close(guardAt(dataDir));
  return { dataDir, conversationId: conversation.id };
}

const damagedFiles = (dataDir: string) => {
  const dir = path.join(dataDir, "damaged");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

describe("DatabaseGuard: damage at start", () => {
  it("does not recreate a 0-byte hearth.db: moves it aside and starts in recovery", () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "hearth.db"), "");
    const guard = guardAt(dataDir);
    const state = guard.state();
    expect(state.status).toBe("recovery");
    expect(state.damage?.reason).toMatch(/empty/);
    expect(fs.existsSync(path.join(dataDir, "hearth.db"))).toBe(false);
    const [moved] = damagedFiles(dataDir);
    expect(moved).toMatch(/^hearth-.*\.db$/);
    expect(fs.statSync(path.join(dataDir, "damaged", moved!)).size).toBe(0);
    expect(state.damage?.movedTo).toEqual([path.join(dataDir, "damaged", moved!)]);
    // The app keeps running on an empty in-memory database meanwhile.
    expect(new Store(guard.db).listConversations()).toEqual([]);
  });

  it("moves a truncated database (and its -wal/-shm) aside byte for byte instead of failing with 'malformed'", () => {
    const { dataDir } = folderWithConversation();
    const file = path.join(dataDir, "hearth.db");
    const whole = fs.readFileSync(file);
    expect(whole.length).toBeGreaterThan(4096 * 4);
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    fs.writeFileSync(file, truncated);
    fs.writeFileSync(`${file}-wal`, "left by the crash");
    const guard = guardAt(dataDir);
    expect(guard.state()).toMatchObject({ status: "recovery" });
    // The read-only check may have added a -shm index beside the -wal; it goes along with them.
    const moved = damagedFiles(dataDir).filter((name) => !name.endsWith("-shm"));
    expect(moved).toHaveLength(2);
    expect(moved[0]).toMatch(/\.db$/);
    expect(moved[1]).toMatch(/\.db-wal$/);
    expect(fs.readdirSync(dataDir).filter((name) => name.startsWith("hearth.db"))).toEqual([]);
    expect(fs.readFileSync(path.join(dataDir, "damaged", moved[0]!)).equals(truncated)).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, "damaged", moved[1]!), "utf8")).toBe("left by the crash");
  });

  it("moves a file of garbage bytes aside", () => {
    const dataDir = tempDir();
    const garbage = Buffer.alloc(16384, 0xa7);
    fs.writeFileSync(path.join(dataDir, "hearth.db"), garbage);
    const guard = guardAt(dataDir);
    expect(guard.state()).toMatchObject({ status: "recovery", damage: { reason: expect.stringMatching(/not a SQLite database/) } });
    expect(fs.readFileSync(path.join(dataDir, "damaged", damagedFiles(dataDir)[0]!)).equals(garbage)).toBe(true);
  });

  it("restores the newest good backup with its conversations", () => {
    const { dataDir, conversationId } = folderWithConversation();
    fs.truncateSync(path.join(dataDir, "hearth.db"), 0);
    const guard = guardAt(dataDir);
    const store = new Store(guard.db);
    expect(guard.state().newestGoodBackup).not.toBeNull();
    const state = guard.restoreNewestBackup();
    expect(state).toMatchObject({ status: "ok", damage: null });
    expect(state.restoredFrom).toMatch(/^hearth-\d{13}-\d{3}-start\.db$/);
    // The same Store (and every repository holding guard.db) now reads the restored file.
    expect(store.listConversations().map((c) => [c.id, c.title])).toEqual([[conversationId, "Kept in the backup"]]);
    expect(store.listMessages(conversationId).map((m) => m.content)).toEqual([
      "the lighthouse keeper's question",
      "the answer about the lamp",
    ]);
    // The damaged file is still where it was moved, and the next start is a normal one.
    expect(damagedFiles(dataDir)).toHaveLength(1);
    close(guard);
    const again = guardAt(dataDir);
    expect(again.state().status).toBe("ok");
    expect(new Store(again.db).listConversations()).toHaveLength(1);
  });

  it("skips a backup that fails quick_check and restores the next good one", () => {
    const { dataDir, conversationId } = folderWithConversation();
    // A third start makes a newer backup; damage it.
    close(guardAt(dataDir));
    const backups = fs.readdirSync(path.join(dataDir, "backups")).sort();
    const newest = path.join(dataDir, "backups", backups.at(-1)!);
    fs.truncateSync(newest, Math.floor(fs.statSync(newest).size / 2));
    fs.writeFileSync(path.join(dataDir, "hearth.db"), Buffer.alloc(8192, 1));
    const guard = guardAt(dataDir);
    const state = guard.restoreNewestBackup();
    expect(state.restoredFrom).toBe(backups.at(-2));
    expect(new Store(guard.db).getConversation(conversationId)?.title).toBe("Kept in the backup");
  });

  it("with no backup, refuses to restore and can start fresh; the damaged file stays aside", () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "hearth.db"), "");
    const guard = guardAt(dataDir);
    expect(guard.state().newestGoodBackup).toBeNull();
    expect(() => guard.restoreNewestBackup()).toThrow(expect.objectContaining({ code: "DATABASE_STATE" }));
    const state = guard.startFresh();
    expect(state.status).toBe("ok");
    const store = new Store(guard.db);
    store.createConversation(null);
    expect(store.listConversations()).toHaveLength(1);
    expect(damagedFiles(dataDir)).toHaveLength(1);
    expect(() => guard.startFresh()).toThrow(expect.objectContaining({ code: "DATABASE_STATE" }));
  });

  it("stays in recovery across a restart until the user chooses, never creating an empty database meanwhile", () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "hearth.db"), "");
    close(guardAt(dataDir));
    const again = guardAt(dataDir);
    expect(again.state().status).toBe("recovery");
    expect(fs.existsSync(path.join(dataDir, "hearth.db"))).toBe(false);
    expect(damagedFiles(dataDir)).toHaveLength(1);
  });
});

describe("DatabaseGuard: rolling backups", () => {
  it("backs up at each start and keeps the newest N", () => {
    const dataDir = tempDir();
    for (let start = 0; start < 8; start++) close(guardAt(dataDir, { keep: 3 }));
    const names = fs.readdirSync(path.join(dataDir, "backups")).sort();
    // The first start created the file (nothing to back up); the next seven each made one; three are kept.
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(/-start\.db$/);
  });

  it("backs up before a migration, with the old schema in the copy", () => {
    const dataDir = tempDir();
    const old = new Database(path.join(dataDir, "hearth.db"));
    for (let version = 0; version < 2; version++) {
      old.exec(migrations[version]!);
      old.pragma(`user_version = ${version + 1}`);
    }
    old.prepare("INSERT INTO settings (key, value) VALUES ('from-v2', 'yes')").run();
    old.close();
    const guard = guardAt(dataDir);
    expect(guard.db.pragma("user_version", { simple: true })).toBe(migrations.length);
    const backups = fs.readdirSync(path.join(dataDir, "backups"));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/-migration\.db$/);
    const copy = new Database(path.join(dataDir, "backups", backups[0]!), { readonly: true });
    expect(copy.pragma("user_version", { simple: true })).toBe(2);
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'from-v2'").get()).toEqual({ value: "yes" });
    copy.close();
  });
});
