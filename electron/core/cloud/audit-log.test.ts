import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEntrySchema } from "../../contract/index.js";
import { openDatabase, type Db } from "../store/database.js";
import { csvCell } from "./audit-export.js";
import { AuditChain, verifyAuditChain } from "./audit-chain.js";
import { AuditLog, INTERRUPTED, type NewAuditEntry } from "./audit-log.js";

const newEntry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  conversationId: "conv-a",
  conversationTitle: "Quarterly, \"numbers\"",
  purpose: "chat",
  providerName: "OpenAI",
  providerKind: "openai",
  model: "gpt-4.1",
  host: "api.openai.com",
  payload: '{"messages":[{"role":"user","content":"line one\\nline two"}]}',
  bytesSent: 62,
  ...overrides,
});

/** A small RFC 4180 reader, to check the export round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("AuditLog", () => {
  let dir: string;
  let db: Db;
  let now = 1_750_000_000_000;
  let log: AuditLog;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-"));
    db = openDatabase(path.join(dir, "hearth.db"));
    log = new AuditLog(db, () => now++);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records a request before it is sent and fills in the result once", () => {
    const begun = log.begin(newEntry());
    expect(auditEntrySchema.parse(begun)).toEqual(begun);
    expect(begun).toMatchObject({ outcome: "aborted", durationMs: null, bytesReceived: 0, tokensIn: null, costUsd: null });
    const result = { bytesReceived: 900, tokensIn: 10, tokensOut: 20, costUsd: 0.0001, outcome: "ok" as const, error: null, durationMs: 812.5 };
    const finished = log.finish(begun.id, result);
    expect(finished).toMatchObject({ ...result, payload: begun.payload, id: begun.id });
    // A second finish changes nothing: the log is append-only.
    expect(log.finish(begun.id, { ...result, outcome: "error", error: "x", bytesReceived: 1 })).toEqual(finished);
    expect(log.markFailed(begun.id, "The stream was malformed.")).toMatchObject({ outcome: "error", error: "The stream was malformed.", bytesReceived: 900 });
    expect(log.markFailed(begun.id, "again")).toMatchObject({ error: "The stream was malformed." });
    expect(Object.getOwnPropertyNames(AuditLog.prototype).sort()).toEqual([
      // erasePayloads blanks payloads only, chained as "erase" (audit-chain.ts); nothing deletes an entry. commit is
      // the private transaction wrapper that moves the head file after each chained change.
      // recordDeclined writes a refused request's complete entry (no payload), chained as "decline". entry and summary
      // only read (a row with its payload rebuilt whole; totals for a filter).
      "begin", "closeInterrupted", "commit", "constructor", "entry", "erasePayloads", "export", "finish", "get", "list", "markFailed", "notePayload",
      "progress", "recordDeclined", "summary",
    ]);
  });

  it("updates bytes and the request line only while an entry is open; the next start marks the ones left open", () => {
    const open = log.begin(newEntry({ payload: "GET /a/b/resolve/main/m.gguf", bytesSent: 0 }));
    log.progress(open.id, 1_048_576);
    log.notePayload(open.id, "GET /a/b/resolve/main/m.gguf (redirected to cdn.example)");
    expect(log.list({})[0]).toMatchObject({ bytesReceived: 1_048_576, payload: "GET /a/b/resolve/main/m.gguf (redirected to cdn.example)", durationMs: null });
    const closed = log.begin(newEntry());
    log.finish(closed.id, { bytesReceived: 5, tokensIn: null, tokensOut: null, costUsd: null, outcome: "aborted", error: null, durationMs: 3 });
    log.progress(closed.id, 999);
    log.notePayload(closed.id, "changed");
    expect(log.closeInterrupted()).toBe(1);
    const [openNow, closedNow] = [open.id, closed.id].map((id) => log.list({}).find((e) => e.id === id));
    expect(closedNow).toMatchObject({ bytesReceived: 5, payload: closed.payload, error: null, durationMs: 3 });
    expect(openNow).toMatchObject({ bytesReceived: 1_048_576, outcome: "aborted", error: INTERRUPTED, durationMs: null });
    expect(log.closeInterrupted()).toBe(0);
  });

  it("lists newest first, per conversation or all, with a limit", () => {
    const a = log.begin(newEntry());
    const b = log.begin(newEntry({ conversationId: "conv-b" }));
    const c = log.begin(newEntry());
    expect(log.list({}).map((e) => e.id)).toEqual([c.id, b.id, a.id]);
    expect(log.list({ conversationId: "conv-a" }).map((e) => e.id)).toEqual([c.id, a.id]);
    expect(log.list({ limit: 1 }).map((e) => e.id)).toEqual([c.id]);
  });

  it("exports JSON that validates against the contract", () => {
    const a = log.begin(newEntry());
    log.finish(a.id, { bytesReceived: 5, tokensIn: 1, tokensOut: 2, costUsd: null, outcome: "ok", error: null, durationMs: 3 });
    log.begin(newEntry({ conversationId: "conv-b" }));
    const all = log.export("json");
    expect(all.mimeType).toBe("application/json");
    expect(all.fileName).toMatch(/^hearth-audit-\d{4}-\d{2}-\d{2}\.json$/);
    const entries = auditEntrySchema.array().parse(JSON.parse(all.content));
    expect(entries.map((e) => e.conversationId)).toEqual(["conv-a", "conv-b"]);
    const one = log.export("json", "conv-b");
    expect(one.fileName).toMatch(/^hearth-audit-conv-b-/);
    expect(JSON.parse(one.content)).toHaveLength(1);
  });

  it("exports CSV with proper quoting and a formula-injection guard", () => {
    const evil = log.begin(newEntry({ conversationTitle: "=HYPERLINK(\"http://x\",\"y\")", payload: "+1,2\r\n-3", providerName: "@Acme" }));
    log.finish(evil.id, { bytesReceived: 1, tokensIn: null, tokensOut: null, costUsd: null, outcome: "error", error: "-bad", durationMs: 1.6 });
    log.begin(newEntry());
    const csv = log.export("csv");
    expect(csv.mimeType).toBe("text/csv;charset=utf-8");
    expect(csv.content.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv.content);
    const header = rows[0]!;
    expect(header).toEqual([
      "id", "time", "conversation_id", "conversation_title", "purpose", "provider", "provider_kind", "model", "host",
      "bytes_sent", "bytes_received", "tokens_in", "tokens_out", "cost_usd", "outcome", "error", "duration_ms", "review", "payload",
    ]);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(first).toMatchObject({
      conversation_title: "'=HYPERLINK(\"http://x\",\"y\")",
      provider: "'@Acme",
      payload: "'+1,2\r\n-3",
      error: "'-bad",
      duration_ms: "2",
      tokens_in: "",
      time: new Date(evil.time).toISOString(),
    });
    const second = Object.fromEntries(header.map((h, i) => [h, rows[2]![i]]));
    expect(second.conversation_title).toBe('Quarterly, "numbers"');
    expect(second.payload).toBe(newEntry().payload);
    expect(log.export("csv", "conv-none").content).toBe(`${header.join(",")}\r\n`);
  });

  it("keeps why a request was held in the chained state; a refusal is one complete entry with no payload", () => {
    const review = { heldBecause: "unsure" as const, doubts: [{ reason: "credential" as const, count: 1, types: ["SECRET"] }], decision: "sent" as const, edited: false, bytes: 62 };
    const sent = log.begin({ ...newEntry(), review });
    expect(sent.review).toEqual(review);
    const declined = log.recordDeclined({ ...newEntry(), review: { ...review, decision: "kept-local" } });
    expect(auditEntrySchema.parse(declined)).toEqual(declined);
    expect(declined).toMatchObject({ outcome: "declined", payload: "", bytesSent: 0, bytesReceived: 0, durationMs: 0, review: { decision: "kept-local" } });
    const links = db.prepare(`SELECT entry_id, event, state FROM audit_chain ORDER BY seq`).all() as { entry_id: string; event: string; state: string }[];
    expect(links.map((l) => [l.entry_id, l.event])).toEqual([[sent.id, "open"], [declined.id, "decline"]]);
    expect(JSON.parse(links[0]!.state).review).toBe(JSON.stringify(review));
    // A later start does not take a refusal for an interrupted request.
    expect(log.closeInterrupted()).toBe(1);
    expect(log.list({}).find((e) => e.id === declined.id)).toEqual(declined);
    expect(verifyAuditChain(db).ok).toBe(true);
    // An entry that was not held has no review, and its chained state has no review key (as before the column).
    const plain = log.begin(newEntry());
    expect(plain.review).toBeUndefined();
    expect(JSON.parse((db.prepare(`SELECT state FROM audit_chain ORDER BY seq DESC LIMIT 1`).get() as { state: string }).state)).not.toHaveProperty("review");
  });

  it("a log chained before the review column verifies with it, and gains it when opened", () => {
    // A database as an earlier build left it: no review column, its entry chained without one.
    db.exec(`ALTER TABLE audit_log DROP COLUMN review`);
    db.prepare(
      `INSERT INTO audit_log (id, time, purpose, provider_name, provider_kind, host, payload, bytes_sent, outcome) VALUES ('old-1', 1, 'chat', 'A', 'openai', 'h', '{}', 2, 'aborted')`,
    ).run();
    new AuditChain(db);
    const a = { id: "old-1" };
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, links: 1 });
    const reopened = new AuditLog(db, () => now++);
    expect(db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all()).toContain("review");
    // Its NULL review is not part of the state, so the link chained before the column still matches.
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, links: 1 });
    reopened.finish(a.id, { bytesReceived: 1, tokensIn: null, tokensOut: null, costUsd: null, outcome: "ok", error: null, durationMs: 1 });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, links: 2 });
  });

  it("csvCell guards every formula prefix and leaves plain text alone", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("a\"b")).toBe('"a""b"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(-0.5)).toBe("-0.5");
    expect(csvCell(null)).toBe("");
  });
});
