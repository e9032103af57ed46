import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, describe, expect, it } from "vitest";
import type { Conversation, DatabaseState, Message } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { call } from "../fixtures/core-call.js";

/**
 * The database at rest through the real core and its contract: owner-only modes, damage found at start and
 * recovered from a backup, and encryption required by an organisation policy.
 */

const cores: CoreInternals[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

async function startCore(dataDir: string, policyFile: string | null = null): Promise<CoreInternals> {
  const core = await createCore({ dataDir, shell: "browser", policyFile, threads: 1 });
  cores.push(core);
  return core;
}

async function stopCore(core: CoreInternals): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.dispose();
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

async function conversationWith(core: CoreInternals, title: string): Promise<Conversation> {
  const conversation = await call<Conversation>(core, "createConversation", {});
  return call<Conversation>(core, "renameConversation", { conversationId: conversation.id, title });
}

describe.skipIf(process.platform === "win32")("data folder permissions", () => {
  it("makes the folder 0700 and the database, -wal, -shm, backups, secrets and keys 0600, tightening old ones", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-modes-")), "Hearth");
    // What an older Hearth left: a world-readable folder and database.
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    const old = new Database(path.join(dataDir, "hearth.db"));
    old.pragma("journal_mode = WAL");
    old.close();
    fs.chmodSync(path.join(dataDir, "hearth.db"), 0o644);
    fs.writeFileSync(path.join(dataDir, "secrets.json"), JSON.stringify({ version: 1, protection: "file", entries: {} }), { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, "secrets.json"), 0o644);

    const previousUmask = process.umask(0o000);
    try {
      const core = await startCore(dataDir);
      await conversationWith(core, "private");
      await call(core, "updateSettings", { huggingFaceToken: "hf_abcdefghijklmnopqrstuvwxyz" });
      await call<DatabaseState>(core, "setDatabaseEncryption", { enabled: true });
      await conversationWith(core, "after encryption");

      expect(mode(dataDir)).toBe(0o700);
      for (const name of ["hearth.db", "hearth.db-wal", "hearth.db-shm", "secrets.json", "secrets.key", "database.key"]) {
        expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
      }
      const backups = path.join(dataDir, "backups");
      expect(mode(backups)).toBe(0o700);
      const backupFiles = fs.readdirSync(backups);
      expect(backupFiles.length).toBeGreaterThan(0);
      for (const name of backupFiles) expect([name, mode(path.join(backups, name))]).toEqual([name, 0o600]);
    } finally {
      process.umask(previousUmask);
    }
  });
});

describe("damage at start, through the contract", () => {
  it("starts in recovery over a garbage hearth.db and restores the newest good backup with its conversations", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-recovery-"));
    const first = await startCore(dataDir);
    const kept = await conversationWith(first, "Survives the damage");
    // No model here to answer: the turn is written through the core's store, as the chat service writes it.
    first.store.addMessage({ conversationId: kept.id, role: "user", content: "hello", status: "complete" });
    await stopCore(first);
    // The next start checks the file and backs it up.
    await stopCore(await startCore(dataDir));
    const garbage = Buffer.alloc(32768, 0x5a);
    fs.writeFileSync(path.join(dataDir, "hearth.db"), garbage);

    const core = await startCore(dataDir);
    const state = await call<DatabaseState>(core, "getDatabaseState", {});
    expect(state).toMatchObject({ status: "recovery", damage: { reason: expect.any(String) }, newestGoodBackup: { id: expect.stringMatching(/-start\.db$/) } });
    expect(fs.readFileSync(state.damage!.movedTo[0]!).equals(garbage)).toBe(true);
    // Meanwhile the app answers, with nothing in it, and writes nothing over the damaged file.
    expect(await call<Conversation[]>(core, "listConversations", {})).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, "hearth.db"))).toBe(false);
    // Writes would go to the stand-in that the restore throws away: refused, with the way out.
    for (const [method, input] of [["createConversation", {}], ["updateSettings", { escalationLevel: "often" }], ["searchModels", { query: "x" }]] as const) {
      const refused = await core.call(method, input);
      expect(refused, method).toMatchObject({ ok: false, error: { code: "DATABASE_STATE", message: expect.stringMatching(/restore the newest backup or start fresh/) } });
    }

    const restored = await call<DatabaseState>(core, "restoreDatabaseBackup", {});
    expect(restored).toMatchObject({ status: "ok", damage: null, restoredFrom: state.newestGoodBackup!.id });
    const conversations = await call<Conversation[]>(core, "listConversations", {});
    expect(conversations.map((c) => c.title)).toEqual(["Survives the damage"]);
    const { messages } = await call<{ messages: Message[] }>(core, "getConversation", { conversationId: kept.id });
    expect(messages.map((m) => m.content)).toContain("hello");
    expect(fs.existsSync(state.damage!.movedTo[0]!)).toBe(true);
  });

  it("with no backup, starts fresh on request and keeps the damaged file aside", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-recovery-"));
    fs.writeFileSync(path.join(dataDir, "hearth.db"), "");
    const core = await startCore(dataDir);
    const state = await call<DatabaseState>(core, "getDatabaseState", {});
    expect(state).toMatchObject({ status: "recovery", newestGoodBackup: null });
    const refused = await core.call("restoreDatabaseBackup", {});
    expect(refused).toMatchObject({ ok: false, error: { code: "DATABASE_STATE" } });
    expect(await call<DatabaseState>(core, "startFreshDatabase", {})).toMatchObject({ status: "ok" });
    await conversationWith(core, "new start");
    expect(fs.statSync(state.damage!.movedTo[0]!).size).toBe(0);
  });
});

describe("encryption required by the organisation policy", () => {
  it("encrypts at start, round-trips conversations, and refuses to turn it off", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-policy-enc-"));
    const plain = await startCore(dataDir);
    const conversation = await conversationWith(plain, "Quarterly numbers for the board");
    await stopCore(plain);
    expect(fs.readFileSync(path.join(dataDir, "hearth.db")).includes("Quarterly numbers for the board")).toBe(true);

    const policyFile = path.join(dataDir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ requireDatabaseEncryption: true }));
    const core = await startCore(dataDir, policyFile);
    expect(await call<DatabaseState>(core, "getDatabaseState", {})).toMatchObject({ status: "ok", encrypted: true, encryptionRequired: true });
    expect(await core.call("setDatabaseEncryption", { enabled: false })).toMatchObject({ ok: false, error: { code: "POLICY_LOCKED" } });
    await conversationWith(core, "Second secret title");
    await stopCore(core);

    const bytes = Buffer.concat(
      [path.join(dataDir, "hearth.db"), ...fs.readdirSync(path.join(dataDir, "backups")).map((name) => path.join(dataDir, "backups", name))].map((file) =>
        fs.readFileSync(file),
      ),
    );
    expect(bytes.includes("Quarterly numbers for the board")).toBe(false);
    expect(bytes.includes("Second secret title")).toBe(false);

    const again = await startCore(dataDir, policyFile);
    const titles = (await call<Conversation[]>(again, "listConversations", {})).map((c) => c.title).sort();
    expect(titles).toEqual(["Quarterly numbers for the board", "Second secret title"]);
    expect((await call<{ conversation: Conversation }>(again, "getConversation", { conversationId: conversation.id })).conversation.title).toBe(
      "Quarterly numbers for the board",
    );
  });
});
