import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, describe, expect, it } from "vitest";
import { fileKeyCipher, type SecretCipher } from "../secrets/secret-store.js";
import { DatabaseGuard } from "./database-guard.js";
import { Store } from "./store.js";

const secretText = "Meet me at the old lighthouse at 7 with the ledger";

const open: DatabaseGuard[] = [];
afterEach(() => {
  for (const guard of open.splice(0)) guard.close();
});

/** Stands in for the OS keychain: seals with a key the test holds, and records what it was asked to seal. */
function recordingCipher(dataDir: string): SecretCipher & { sealed: Buffer[] } {
  const inner = fileKeyCipher(path.join(dataDir, "secrets.key"));
  const sealed: Buffer[] = [];
  return {
    protection: "os-keychain",
    warning: null,
    sealed,
    encrypt(plain) {
      sealed.push(Buffer.from(plain));
      return inner.encrypt(plain);
    },
    decrypt: (data) => inner.decrypt(data),
  };
}

function start(dataDir: string, options: { requireEncryption?: boolean; cipher?: SecretCipher } = {}): DatabaseGuard {
  const guard = new DatabaseGuard({
    dataDir,
    cipher: options.cipher ?? fileKeyCipher(path.join(dataDir, "secrets.key")),
    requireEncryption: () => options.requireEncryption ?? false,
  });
  open.push(guard);
  return guard;
}

function stop(guard: DatabaseGuard): void {
  guard.close();
  open.splice(open.indexOf(guard), 1);
}

/** Every byte of the database, its sidecars and its backups, as one buffer to search. */
function allBytes(dataDir: string): Buffer {
  const files = fs.readdirSync(dataDir).filter((name) => name.startsWith("hearth.db")).map((name) => path.join(dataDir, name));
  const backups = path.join(dataDir, "backups");
  if (fs.existsSync(backups)) files.push(...fs.readdirSync(backups).map((name) => path.join(backups, name)));
  return Buffer.concat(files.map((file) => fs.readFileSync(file)));
}

function withConversation(guard: DatabaseGuard): string {
  const store = new Store(guard.db);
  const conversation = store.createConversation(null);
  store.addMessage({ conversationId: conversation.id, role: "user", content: secretText, status: "complete" });
  return conversation.id;
}

describe("database encryption at rest", () => {
  it("encrypts an existing database in place: no message text in its bytes or its backups, no opening without the key", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const cipher = recordingCipher(dataDir);
    const guard = start(dataDir, { cipher });
    const conversationId = withConversation(guard);
    stop(guard);
    // A second start leaves a plaintext backup with the message in it.
    const second = start(dataDir, { cipher });
    expect(allBytes(dataDir).includes(secretText)).toBe(true);
    const store = new Store(second.db);
    expect(second.setEncryption(true)).toMatchObject({ encrypted: true, status: "ok" });
    // The same store keeps working on the encrypted file, before and after a restart.
    expect(store.listMessages(conversationId).map((m) => m.content)).toEqual([secretText]);
    store.addMessage({ conversationId, role: "assistant", content: "written after encryption", status: "complete" });
    // While open, the new row sits in the -wal: encrypted there too.
    expect(fs.existsSync(path.join(dataDir, "hearth.db-wal"))).toBe(true);
    expect(allBytes(dataDir).includes("written after encryption")).toBe(false);
    stop(second);
    expect(allBytes(dataDir).includes(secretText)).toBe(false);
    expect(allBytes(dataDir).includes("written after encryption")).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, "hearth.db")).subarray(0, 16).toString("latin1")).not.toBe("SQLite format 3\0");

    const thief = new Database(path.join(dataDir, "hearth.db"), { readonly: true });
    expect(() => thief.prepare("SELECT * FROM messages").all()).toThrow(/not a database/);
    thief.close();

    // The key exists only sealed: neither its bytes nor its hex are in the key file.
    expect(cipher.sealed).toHaveLength(1);
    const key = cipher.sealed[0]!;
    expect(key).toHaveLength(32);
    const keyFile = fs.readFileSync(path.join(dataDir, "database.key"));
    expect(keyFile.includes(key)).toBe(false);
    expect(keyFile.includes(key.toString("hex"))).toBe(false);
    expect(keyFile.includes(key.toString("base64"))).toBe(false);

    const third = start(dataDir, { cipher });
    expect(third.state().encrypted).toBe(true);
    expect(new Store(third.db).listMessages(conversationId).map((m) => m.content)).toEqual([secretText, "written after encryption"]);
  });

  it("backs up an encrypted database encrypted, and restores it after damage", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const guard = start(dataDir);
    guard.setEncryption(true);
    const conversationId = withConversation(guard);
    stop(guard);
    stop(start(dataDir));
    const backups = fs.readdirSync(path.join(dataDir, "backups"));
    expect(backups.some((name) => name.endsWith("-start.db"))).toBe(true);
    expect(allBytes(dataDir).includes(secretText)).toBe(false);

    fs.truncateSync(path.join(dataDir, "hearth.db"), 4096);
    const damaged = start(dataDir);
    expect(damaged.state().status).toBe("recovery");
    expect(damaged.restoreNewestBackup()).toMatchObject({ status: "ok", encrypted: true });
    expect(new Store(damaged.db).listMessages(conversationId).map((m) => m.content)).toEqual([secretText]);
  });

  it("decrypts again when the user turns it off", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const guard = start(dataDir);
    const conversationId = withConversation(guard);
    guard.setEncryption(true);
    expect(guard.setEncryption(false)).toMatchObject({ encrypted: false });
    stop(guard);
    const plain = new Database(path.join(dataDir, "hearth.db"), { readonly: true });
    expect(plain.prepare("SELECT content FROM messages WHERE conversation_id = ?").get(conversationId)).toEqual({ content: secretText });
    plain.close();
  });

  it("under a policy that requires it, encrypts a plaintext database at start and refuses to decrypt", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const guard = start(dataDir);
    const conversationId = withConversation(guard);
    stop(guard);
    const enforced = start(dataDir, { requireEncryption: true });
    expect(enforced.state()).toMatchObject({ encrypted: true, encryptionRequired: true });
    expect(() => enforced.setEncryption(false)).toThrow(expect.objectContaining({ code: "POLICY_LOCKED" }));
    expect(new Store(enforced.db).listMessages(conversationId).map((m) => m.content)).toEqual([secretText]);
    stop(enforced);
    expect(allBytes(dataDir).includes(secretText)).toBe(false);

    // A new data folder under the policy is encrypted from its first byte.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const created = start(fresh, { requireEncryption: true });
    withConversation(created);
    stop(created);
    expect(allBytes(fresh).includes(secretText)).toBe(false);
  });

  it("removes a half-made converted copy left by a crash, keeping the database as it was", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const guard = start(dataDir);
    const conversationId = withConversation(guard);
    stop(guard);
    fs.copyFileSync(path.join(dataDir, "hearth.db"), path.join(dataDir, "hearth.db.convert"));
    const again = start(dataDir);
    expect(fs.existsSync(path.join(dataDir, "hearth.db.convert"))).toBe(false);
    expect(new Store(again.db).listMessages(conversationId).map((m) => m.content)).toEqual([secretText]);
  });

  it("says the key is unavailable instead of calling an encrypted database damaged", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-enc-"));
    const guard = start(dataDir);
    guard.setEncryption(true);
    stop(guard);
    // Another keychain (a different secrets.key) cannot unseal the database key.
    fs.rmSync(path.join(dataDir, "secrets.key"));
    expect(() => start(dataDir)).toThrow(expect.objectContaining({ code: "DATABASE_LOCKED" }));
    expect(fs.existsSync(path.join(dataDir, "hearth.db"))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "damaged"))).toBe(false);
  });
});
