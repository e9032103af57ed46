import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileKeyCipher, type SecretCipher } from "../secrets/secret-store.js";
import { openDatabase } from "../store/database.js";
import { rechain } from "../../../test/audit-forgery.js";
import { verifyAuditChain } from "./audit-chain.js";
import { AUDIT_HEAD_FILE } from "./audit-head.js";
import { AuditKey } from "./audit-key.js";
import { AuditLog, type NewAuditEntry } from "./audit-log.js";
import { verifyAuditLog, type AuditVerification } from "./audit-verification.js";

const newEntry = (n: number): NewAuditEntry => ({
  conversationId: "conv-a",
  conversationTitle: "Title",
  purpose: "chat",
  providerName: "OpenAI",
  providerKind: "openai",
  model: "gpt-4.1",
  host: "api.openai.com",
  payload: `{"messages":[{"role":"user","content":"secret number ${n}"}]}`,
  bytesSent: 50 + n,
});

const result = { bytesReceived: 120, tokensIn: 10, tokensOut: 20, costUsd: 0.001, outcome: "ok" as const, error: null, durationMs: 42 };

let dir: string;
let file: string;
let ids: string[];

const cipher = (): SecretCipher => fileKeyCipher(path.join(dir, "secrets.key"));

/** Opens the log as the app does: with the installation's key, made on first use. */
function openLog(): AuditLog {
  const reading = AuditKey.inDataDir(dir, cipher()).loadOrCreate();
  if (!reading.key) throw new Error(reading.reason);
  return new AuditLog(openDatabase(file), Date.now, { key: reading.key, dataDir: dir, created: reading.created });
}

/**
 * Links: 1-5 open entries 0-4, 6 close 0, 7 close 1, 8 amend 1 (marked failed), 9 close 2, 10 close 4. Entry 3 stays
 * open; entry 4 was opened and closed last-but-one, so its links are not the tail.
 */
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-head-"));
  file = path.join(dir, "hearth.db");
  const log = openLog();
  ids = [0, 1, 2, 3, 4].map((n) => log.begin(newEntry(n)).id);
  log.finish(ids[0]!, result);
  log.finish(ids[1]!, result);
  log.markFailed(ids[1]!, "unreadable body");
  log.finish(ids[2]!, result);
  log.finish(ids[4]!, result);
  log.db.close();
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function verify(keyReading = AuditKey.inDataDir(dir, cipher()).load()): AuditVerification {
  const db = openDatabase(file);
  try {
    return verifyAuditLog(db, { dataDir: dir, keyReading });
  } finally {
    db.close();
  }
}

/** A bare SQLite connection, as someone with the file (not the app) would use. */
function raw<T>(use: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const headFile = () => path.join(dir, AUDIT_HEAD_FILE);
const readHeadJson = () => JSON.parse(fs.readFileSync(headFile(), "utf8")) as Record<string, unknown>;

describe("the signed chain and its head outside the database", () => {
  it("verifies an untouched log with its signatures, and keeps the head owner-only at the last link", () => {
    expect(verify()).toEqual({ ok: true, entries: 5, links: 10, firstBroken: null, signatures: "checked", note: null });
    expect(readHeadJson()).toMatchObject({ version: 1, seq: 10, signedFrom: 1 });
    if (process.platform !== "win32") expect(fs.statSync(headFile()).mode & 0o777).toBe(0o600);
    expect(raw((db) => db.prepare(`SELECT count(*) FROM audit_chain WHERE mac IS NULL`).pluck().get())).toBe(0);
  });

  it("finds a payload byte changed in the file", () => {
    raw((db) => db.prepare(`UPDATE audit_log SET payload = replace(payload, 'number 1', 'number 9') WHERE id = ?`).run(ids[1]));
    expect(verify().firstBroken).toMatchObject({ seq: 8, entryId: ids[1], reason: expect.stringMatching(/changed/) });
  });

  it("finds the last entry deleted together with its links (a consistent cut of the tail)", () => {
    const extra = openLog();
    const last = extra.begin(newEntry(5));
    extra.finish(last.id, result);
    extra.db.close();
    raw((db) => {
      db.prepare(`DELETE FROM audit_chain WHERE entry_id = ?`).run(last.id);
      db.prepare(`DELETE FROM audit_log WHERE id = ?`).run(last.id);
    });
    // The database alone still looks whole; only the head outside it knows the chain reached link 12.
    const db = openDatabase(file);
    expect(verifyAuditChain(db).ok).toBe(true);
    db.close();
    expect(verify()).toMatchObject({ ok: false, firstBroken: { seq: 11, reason: expect.stringMatching(/ends at link 10.*recorded link 12/) } });
  });

  it("finds a middle entry rewritten with its sha256 chain recomputed, by its signature", () => {
    raw((db) => {
      db.prepare(`UPDATE audit_log SET outcome = 'ok', error = NULL WHERE id = ?`).run(ids[1]);
      rechain(db, 8);
    });
    const db = openDatabase(file);
    expect(verifyAuditChain(db).ok).toBe(true);
    db.close();
    expect(verify().firstBroken).toMatchObject({ seq: 8, entryId: ids[1], reason: expect.stringMatching(/signature does not match/) });
  });

  it("finds the rewrite when the forger also strips the signatures", () => {
    raw((db) => {
      db.prepare(`UPDATE audit_log SET outcome = 'ok', error = NULL WHERE id = ?`).run(ids[1]);
      rechain(db, 8);
      db.prepare(`UPDATE audit_chain SET mac = NULL`).run();
    });
    expect(verify().firstBroken).toMatchObject({ seq: 1, reason: expect.stringMatching(/not signed/) });
  });

  it("without the key (keychain not reachable) still finds the rewrite by the head, and says signatures went unchecked", () => {
    raw((db) => {
      db.prepare(`UPDATE audit_log SET outcome = 'ok', error = NULL WHERE id = ?`).run(ids[1]);
      rechain(db, 8);
    });
    const report = verify({ key: null, reason: "Sealed by the OS keychain.", protection: "os-keychain" });
    expect(report).toMatchObject({ ok: false, signatures: "unchecked", firstBroken: { seq: 10, reason: expect.stringMatching(/not the one the head recorded/) } });
    expect(report.note).toMatch(/Sealed by the OS keychain\. Signatures were not checked/);
  });

  it("finds the head file edited, and the head file deleted", () => {
    fs.writeFileSync(headFile(), JSON.stringify({ ...readHeadJson(), at: 1 }));
    expect(verify()).toMatchObject({ ok: false, firstBroken: { seq: 10, reason: expect.stringMatching(/head file .* was edited/) } });
    fs.rmSync(headFile());
    expect(verify()).toMatchObject({ ok: false, firstBroken: { seq: 10, reason: expect.stringMatching(/head file .* is missing/) } });
  });

  it("finds a head rolled back to match a cut chain (its signature no longer holds)", () => {
    raw((db) => {
      db.prepare(`DELETE FROM audit_chain WHERE seq = 10`).run();
      db.prepare(`DELETE FROM audit_log WHERE id = ?`).run(ids[4]);
      db.prepare(`DELETE FROM audit_chain WHERE entry_id = ?`).run(ids[4]);
    });
    const hash = raw((db) => db.prepare(`SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1`).pluck().get()) as string;
    fs.writeFileSync(headFile(), JSON.stringify({ ...readHeadJson(), seq: 9, hash }));
    expect(verify().ok).toBe(false);
  });

  it("keeps reporting a cut tail after the app writes new entries (the head is not moved over it)", () => {
    raw((db) => {
      db.prepare(`DELETE FROM audit_chain WHERE seq = 10`).run();
      db.prepare(`UPDATE audit_log SET bytes_received = 0, tokens_in = NULL, tokens_out = NULL, cost_usd = NULL, outcome = 'aborted', duration_ms = NULL WHERE id = ?`).run(ids[4]);
    });
    const log = openLog();
    log.begin(newEntry(6));
    log.db.close();
    expect(readHeadJson()).toMatchObject({ seq: 10 });
    expect(verify()).toMatchObject({ ok: false });
  });

  it("signs from the start of an older chain on: links made before the key keep their hashes, the column is added", () => {
    fs.rmSync(headFile());
    fs.rmSync(path.join(dir, "audit.key"));
    raw((db) => db.exec(`ALTER TABLE audit_chain DROP COLUMN mac`));
    const log = openLog();
    log.finish(ids[3]!, result);
    log.db.close();
    expect(readHeadJson()).toMatchObject({ seq: 11, signedFrom: 11 });
    expect(verify()).toMatchObject({ ok: true, links: 11, signatures: "checked" });
    expect(raw((db) => db.prepare(`SELECT seq FROM audit_chain WHERE mac IS NOT NULL`).pluck().all())).toEqual([11]);
  });

  it("a key first made on an empty stand-in database (recovery) learns where signing began once the real one is back", () => {
    fs.rmSync(headFile());
    fs.rmSync(path.join(dir, "audit.key"));
    raw((db) => db.exec(`UPDATE audit_chain SET mac = NULL`));
    const reading = AuditKey.inDataDir(dir, cipher()).loadOrCreate();
    if (!reading.key) throw new Error(reading.reason);
    const standIn = new AuditLog(openDatabase(":memory:"), Date.now, { key: reading.key, dataDir: dir, created: true });
    standIn.db.close();
    expect(readHeadJson()).toMatchObject({ seq: 0, signedFrom: 1 });
    const log = new AuditLog(openDatabase(file), Date.now, { key: reading.key, dataDir: dir, created: false });
    log.finish(ids[3]!, result);
    log.db.close();
    expect(readHeadJson()).toMatchObject({ seq: 11, signedFrom: 11 });
    expect(verify()).toMatchObject({ ok: true, signatures: "checked" });
  });

  it("says the signatures were not set up for a data folder with no key yet", () => {
    const db = openDatabase(file);
    expect(verifyAuditLog(db, { dataDir: dir, keyReading: null })).toMatchObject({ ok: true, signatures: "not-set-up" });
    db.close();
  });
});
