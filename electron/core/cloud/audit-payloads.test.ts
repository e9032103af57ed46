import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../store/database.js";
import { verifyAuditChain } from "./audit-chain.js";
import { ForwardQueue } from "./audit-forward/forward-queue.js";
import { AuditLog, type NewAuditEntry } from "./audit-log.js";
import { applyDelta, diffPayload } from "./audit-payload-delta.js";

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const closed = { bytesReceived: 10, tokensIn: 5, tokensOut: 5, costUsd: null, outcome: "ok" as const, error: null, durationMs: 9 };

/** The body of turn `n` of a chat: the whole history so far, as an OpenAI-style request carries it. */
function chatBody(n: number, conversation = "a"): string {
  const messages: { role: string; content: string }[] = [{ role: "system", content: "You are Hearth's cloud helper. Answer briefly." }];
  for (let i = 0; i <= n; i++) {
    messages.push({ role: "user", content: `Question ${i} of ${conversation}: how do {braces} and ünïcödé 😀 travel? ${"detail ".repeat(20)}` });
    if (i < n) messages.push({ role: "assistant", content: `Answer ${i}: they travel as they are.\nSecond line ${"words ".repeat(30)}` });
  }
  return JSON.stringify({ model: "gpt-4.1", messages, stream: true, max_tokens: 512 });
}

const entry = (payload: string, conversationId: string | null = "conv-a"): NewAuditEntry => ({
  conversationId,
  conversationTitle: "Long chat",
  purpose: "chat",
  providerName: "OpenAI",
  providerKind: "openai",
  model: "gpt-4.1",
  host: "api.openai.com",
  payload,
  bytesSent: Buffer.byteLength(payload),
});

const storedBytes = (db: Db): number => db.prepare(`SELECT COALESCE(SUM(length(CAST(payload AS BLOB))), 0) FROM audit_log`).pluck().get() as number;

describe("payload deltas", () => {
  it("rebuild exactly, whatever moved: appended turns, an edit in the middle, a dropped message, multi-byte text", () => {
    const base = chatBody(6);
    const parsed = JSON.parse(base) as { messages: { role: string; content: string }[] };
    const variants = [
      chatBody(7),
      JSON.stringify({ ...parsed, messages: parsed.messages.map((m, i) => (i === 3 ? { ...m, content: "[PERSON_1] changed" } : m)) }),
      JSON.stringify({ ...parsed, messages: parsed.messages.filter((_, i) => i !== 2) }),
      "completely different 😀 text",
      "",
    ];
    for (const payload of variants) expect(applyDelta(base, diffPayload(base, payload))).toBe(payload);
    // An appended turn costs about the new turn, not the history.
    const appended = JSON.stringify(diffPayload(base, chatBody(7)));
    expect(appended.length).toBeLessThan(chatBody(7).length - base.length + 400);
  });
});

describe("AuditLog storing each payload once", () => {
  let dir: string;
  let file: string;
  let db: Db;
  let log: AuditLog;
  let now = 1_750_000_000_000;
  const sent: { id: string; payload: string }[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-payloads-"));
    file = path.join(dir, "hearth.db");
    db = openDatabase(file);
    log = new AuditLog(db, () => now++);
    sent.length = 0;
    for (let n = 0; n < 40; n++) {
      const payload = chatBody(n);
      const begun = log.begin(entry(payload));
      log.finish(begun.id, closed);
      sent.push({ id: begun.id, payload });
    }
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("grows with what was sent, not with the square of the conversation, and reads back exactly what was sent", () => {
    const whole = sent.reduce((sum, s) => sum + Buffer.byteLength(s.payload), 0);
    const last = Buffer.byteLength(sent.at(-1)!.payload);
    // Stored whole, 40 turns would hold ~20 copies of the final history; stored once, about one (plus references).
    expect(whole).toBeGreaterThan(15 * last);
    expect(storedBytes(db)).toBeLessThan(2 * last);
    const listed = log.list({ limit: 1000 });
    expect(listed.map((e) => e.payload).reverse()).toEqual(sent.map((s) => s.payload));
    expect(listed.every((e) => e.bytesSent === Buffer.byteLength(e.payload))).toBe(true);
  });

  it("exports the full payloads (JSON and CSV) and verifies, also after reopening the file", () => {
    db.close();
    db = openDatabase(file);
    log = new AuditLog(db, () => now++);
    const json = JSON.parse(log.export("json").content) as { id: string; payload: string }[];
    expect(json.map((e) => e.payload)).toEqual(sent.map((s) => s.payload));
    const csv = log.export("csv").content;
    for (const s of sent) expect(csv).toContain(s.payload.replaceAll('"', '""'));
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 40 });
    // Each link hashed the full text, as it did when payloads were stored whole.
    const states = db.prepare(`SELECT entry_id, state FROM audit_chain WHERE event = 'open'`).all() as { entry_id: string; state: string }[];
    for (const { entry_id, state } of states) {
      expect((JSON.parse(state) as { payload_sha256: string }).payload_sha256).toBe(sha256(sent.find((s) => s.id === entry_id)!.payload));
    }
  });

  it("an edit of a stored delta, or of the text it copies from, is reported by verification", () => {
    db.close();
    const raw = new Database(file);
    const delta = raw.prepare(`SELECT id, payload FROM audit_log WHERE payload_base IS NOT NULL ORDER BY rowid DESC LIMIT 1`).get() as {
      id: string;
      payload: string;
    };
    raw.prepare(`UPDATE audit_log SET payload = ? WHERE id = ?`).run(delta.payload.replace("Question", "Qvestion"), delta.id);
    raw.close();
    db = openDatabase(file);
    expect(verifyAuditChain(db).firstBroken).toMatchObject({ entryId: delta.id, reason: "The entry was changed after it was chained." });
    db.close();

    const raw2 = new Database(file);
    raw2.prepare(`UPDATE audit_log SET payload = replace(payload, 'Answer briefly', 'Answer at length') WHERE id = ?`).run(sent[0]!.id);
    raw2.close();
    db = openDatabase(file);
    expect(verifyAuditChain(db).firstBroken).toMatchObject({ entryId: sent[0]!.id });
  });

  it("forwards each record with its full payload and the hash the link recorded", () => {
    const queue = new ForwardQueue(db, "test-collector");
    const records = queue.next(1000, 100 * 1024 * 1024).filter((r) => r.event === "open");
    expect(records).toHaveLength(40);
    for (const record of records) {
      const original = sent.find((s) => s.id === record.entryId)!.payload;
      expect(record.payload).toBe(original);
      expect(record.payloadSha256).toBe(sha256(original));
    }
  });

  it("erasing the conversation blanks every entry and its deltas; the chain verifies; other chats keep their text", () => {
    const other = chatBody(3, "b");
    const kept = log.begin(entry(other, "conv-b"));
    log.finish(kept.id, closed);
    const followUp = log.begin(entry(chatBody(4, "b"), "conv-b"));
    expect(log.erasePayloads("conv-a")).toBe(40);
    expect(db.prepare(`SELECT COUNT(*) FROM audit_log WHERE conversation_id = 'conv-a' AND (payload <> '' OR payload_base IS NOT NULL)`).pluck().get()).toBe(0);
    expect(log.list({ conversationId: "conv-a", limit: 1000 }).every((e) => e.payload === "")).toBe(true);
    expect(log.list({ conversationId: "conv-b" }).map((e) => e.payload)).toEqual([chatBody(4, "b"), other]);
    expect(followUp.payload).toBe(chatBody(4, "b"));
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    const tombstones = db.prepare(`SELECT entry_id, state FROM audit_chain WHERE event = 'erase'`).all() as { entry_id: string; state: string }[];
    for (const { entry_id, state } of tombstones) {
      expect((JSON.parse(state) as { payload_sha256: string }).payload_sha256).toBe(sha256(sent.find((s) => s.id === entry_id)!.payload));
    }
  });

  it("keeps small payloads, entries without a conversation and a first request whole", () => {
    const first = log.begin(entry(chatBody(2, "c"), "conv-c"));
    const loose = log.begin(entry(chatBody(39), null));
    const rows = db.prepare(`SELECT id, payload_base FROM audit_log WHERE id IN (?, ?)`).all(first.id, loose.id) as { payload_base: string | null }[];
    expect(rows.map((r) => r.payload_base)).toEqual([null, null]);
  });
});

describe("a log from before payloads were stored once", () => {
  it("gains the column, keeps its old entries whole, and its chain still verifies", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-payloads-old-"));
    const file = path.join(dir, "hearth.db");
    try {
      let db = openDatabase(file);
      let log = new AuditLog(db);
      const old = [chatBody(1), chatBody(2)].map((payload) => {
        const begun = log.begin(entry(payload));
        log.finish(begun.id, closed);
        return begun.id;
      });
      // As written by the previous version: every payload whole, no payload_base column.
      db.exec(`UPDATE audit_log SET payload = '${chatBody(2).replaceAll("'", "''")}', payload_base = NULL WHERE id = '${old[1]}'`);
      db.exec(`ALTER TABLE audit_log DROP COLUMN payload_base`);
      expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 2 });
      db.close();

      db = openDatabase(file);
      log = new AuditLog(db);
      const next = log.begin(entry(chatBody(3)));
      expect(db.prepare(`SELECT payload_base FROM audit_log WHERE id = ?`).pluck().get(next.id)).toBe(old[1]);
      expect(log.list({}).map((e) => e.payload)).toEqual([chatBody(3), chatBody(2), chatBody(1)]);
      expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 3 });
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
