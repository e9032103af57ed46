import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../store/database.js";
import { verifyAuditChain } from "./audit-chain.js";
import { AuditLog, type NewAuditEntry } from "./audit-log.js";

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

/** Three closed entries and one still open, written through the log, then the file is closed. */
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-chain-"));
  file = path.join(dir, "hearth.db");
  const db = openDatabase(file);
  const log = new AuditLog(db);
  ids = [0, 1, 2, 3].map((n) => log.begin(newEntry(n)).id);
  log.finish(ids[0]!, result);
  log.finish(ids[1]!, result);
  log.markFailed(ids[1]!, "unreadable body");
  log.finish(ids[2]!, result);
  log.progress(ids[3]!, 77);
  db.close();
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Edits the file with a bare SQLite connection, as someone with the file (not the app) would. */
function tamper(sql: string, ...params: unknown[]): void {
  const raw = new Database(file);
  raw.prepare(sql).run(...params);
  raw.close();
}

function verify(): ReturnType<typeof verifyAuditChain> {
  const db: Db = openDatabase(file);
  try {
    return verifyAuditChain(db);
  } finally {
    db.close();
  }
}

const seqOf = (entryId: string, event: string): number => {
  const raw = new Database(file, { readonly: true });
  const seq = raw.prepare(`SELECT max(seq) FROM audit_chain WHERE entry_id = ? AND event = ?`).pluck().get(entryId, event) as number;
  raw.close();
  return seq;
};

describe("audit chain", () => {
  it("verifies an untouched log, progress bytes on an open entry included", () => {
    expect(verify()).toEqual({ ok: true, entries: 4, links: 8, firstBroken: null });
  });

  it("finds a payload byte changed in the file", () => {
    tamper(`UPDATE audit_log SET payload = replace(payload, 'number 1', 'number 9') WHERE id = ?`, ids[1]);
    const report = verify();
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ entryId: ids[1], seq: seqOf(ids[1]!, "amend") });
  });

  it("finds an outcome changed in the file", () => {
    tamper(`UPDATE audit_log SET outcome = 'ok', error = NULL WHERE id = ?`, ids[1]);
    expect(verify().firstBroken).toMatchObject({ entryId: ids[1], reason: expect.stringMatching(/changed/) });
  });

  it("finds a deleted entry row", () => {
    tamper(`DELETE FROM audit_log WHERE id = ?`, ids[0]);
    expect(verify().firstBroken).toMatchObject({ entryId: ids[0], seq: seqOf(ids[0]!, "close"), reason: expect.stringMatching(/deleted/) });
  });

  it("finds a deleted chain row", () => {
    tamper(`DELETE FROM audit_chain WHERE seq = 3`);
    expect(verify().firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/missing/) });
  });

  it("finds a chain row rewritten to match an edited entry", () => {
    tamper(`UPDATE audit_chain SET state = replace(state, '"outcome":"error"', '"outcome":"ok"') WHERE seq = ?`, seqOf(ids[1]!, "amend"));
    expect(verify().firstBroken).toMatchObject({ seq: seqOf(ids[1]!, "amend"), reason: expect.stringMatching(/hash/) });
  });

  it("finds an entry written behind the log's back", () => {
    tamper(
      `INSERT INTO audit_log (id, time, purpose, provider_name, provider_kind, host, payload, bytes_sent, outcome)
       VALUES ('forged', 1, 'chat', 'x', 'x', 'h', 'p', 1, 'ok')`,
    );
    expect(verify().firstBroken).toMatchObject({ entryId: "forged", reason: expect.stringMatching(/not in the chain/) });
  });

  it("chains an interrupted entry's close and adopts entries from before the chain", () => {
    tamper(`DROP TABLE audit_chain`);
    const db = openDatabase(file);
    const log = new AuditLog(db);
    expect(db.prepare(`SELECT count(*) FROM audit_chain WHERE event = 'adopt'`).pluck().get()).toBe(4);
    expect(log.closeInterrupted()).toBe(1);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 4, links: 5 });
    db.close();
  });
});

describe("audit erasure", () => {
  it("removes the payload text from the file, keeps a tombstone, and the chain still verifies", () => {
    const db = openDatabase(file);
    const log = new AuditLog(db);
    const other = log.begin({ ...newEntry(7), conversationId: "conv-b" });
    expect(log.erasePayloads("conv-a")).toBe(4);
    const kept = log.list({ conversationId: "conv-a" });
    expect(kept.map((e) => e.payload)).toEqual(["", "", "", ""]);
    expect(kept.find((e) => e.id === ids[1])).toMatchObject({ host: "api.openai.com", bytesSent: 51, bytesReceived: 120, outcome: "error" });
    expect(log.list({ conversationId: "conv-b" })[0]!.payload).toBe(other.payload);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 5 });
    db.close();
    const bytes = Buffer.concat(fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name))));
    expect(bytes.includes("secret number 1")).toBe(false);
    expect(bytes.includes("secret number 7")).toBe(true);
    expect(verify().ok).toBe(true);
  });

  it("finds an erased entry whose outcome was edited afterwards", () => {
    const db = openDatabase(file);
    new AuditLog(db).erasePayloads("conv-a");
    db.close();
    tamper(`UPDATE audit_log SET outcome = 'ok' WHERE id = ?`, ids[1]);
    expect(verify().firstBroken).toMatchObject({ entryId: ids[1], seq: seqOf(ids[1]!, "erase") });
  });
});
