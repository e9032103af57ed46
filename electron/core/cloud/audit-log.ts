import { randomUUID } from "node:crypto";
import type { AuditFilter, AuditSummary } from "../../contract/audit-filter.js";
import type { AuditEntry, AuditReview } from "../../contract/index.js";
import { AppError } from "../../contract/index.js";
import type { Db } from "../store/database.js";
import { AuditChain, type AuditSeal } from "./audit-chain.js";
import { auditToCsv, auditToJson } from "./audit-export.js";
import { AuditPayloads, auditPayloads } from "./audit-payloads.js";
import { auditPageRows, auditSummary, auditWhere } from "./audit-query.js";
import { type Row, toEntry } from "./audit-row.js";

export { reviewOf } from "./audit-row.js";

export type NewAuditEntry = Omit<AuditEntry, "id" | "time" | "bytesReceived" | "tokensIn" | "tokensOut" | "costUsd" | "outcome" | "error" | "durationMs" | "review"> & {
  review?: AuditReview | null;
};

/** A held request the user refused: nothing left, so no payload and no bytes. */
export type DeclinedAuditEntry = Omit<NewAuditEntry, "payload" | "bytesSent" | "review"> & { review: AuditReview };

export type AuditResult = Pick<AuditEntry, "bytesReceived" | "tokensIn" | "tokensOut" | "costUsd" | "outcome" | "error" | "durationMs">;

/** What an entry left open by a killed or crashed Hearth says, once the next start finds it. */
export const INTERRUPTED = "Interrupted: Hearth stopped before this request ended (closed or crashed).";

/** The append-only audit log (table audit_log, migration 3). Not editable from the UI: there is no delete. */
export class AuditLog {
  /** Every change to what an entry says is also chained (audit-chain.ts); progress bytes are not. */
  private readonly chain: AuditChain;
  /** Stores each payload as what it adds to the conversation's previous one, and rebuilds it whole on reading. */
  private readonly payloads: AuditPayloads;
  /** Called after each chained change (the audit forwarder wakes on it; it only sets a timer). */
  onAppend: (() => void) | null = null;

  constructor(
    readonly db: Db,
    private readonly now: () => number = Date.now,
    /** The installation's audit key: links are signed and the head file outside the database follows the chain. */
    seal: AuditSeal | null = null,
  ) {
    // Why a request was held and what the user decided (JSON). Added when missing, like the chain's mac column, so
    // the schema version is not touched; a NULL review is left out of the chained state, so older links still verify.
    const columns = db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all() as string[];
    if (!columns.includes("review")) db.exec(`ALTER TABLE audit_log ADD COLUMN review TEXT`);
    // "organisation" / "cloud" (policy internalHosts); NULL for hub traffic and older rows, left out of the chain then.
    if (!columns.includes("destination")) db.exec(`ALTER TABLE audit_log ADD COLUMN destination TEXT`);
    AuditPayloads.addColumn(db);
    // The view pages the whole log newest first.
    db.exec(`CREATE INDEX IF NOT EXISTS audit_log_time ON audit_log(time)`);
    this.payloads = auditPayloads(db);
    this.chain = new AuditChain(db, seal, now);
  }

  /** Runs `write` in one transaction, then moves the head file (only once the links it names are committed). */
  private commit<T>(write: () => T): T {
    const result = this.db.transaction(write)();
    this.chain.syncHead();
    return result;
  }

  /**
   * Records a request before it is sent; returns its entry. Until `finish`, the entry reads "aborted" with no
   * duration: if Hearth dies mid-request that is what it was, and the row already proves the bytes left.
   */
  begin(entry: NewAuditEntry): AuditEntry {
    const id = randomUUID();
    this.commit(() => {
      this.db
        .prepare(
          `INSERT INTO audit_log (id, time, conversation_id, conversation_title, purpose, provider_name, provider_kind,
             model, host, payload, payload_base, bytes_sent, bytes_received, outcome, review, destination)
           VALUES (@id, @time, @conversationId, @conversationTitle, @purpose, @providerName, @providerKind, @model,
             @host, @payload, @payloadBase, @bytesSent, 0, 'aborted', @review, @destination)`,
        )
        .run({
          ...entry,
          ...this.payloads.encode(entry.conversationId, entry.payload),
          id,
          time: this.now(),
          review: entry.review ? JSON.stringify(entry.review) : null,
          destination: entry.destination ?? null,
        });
      this.chain.append(id, "open");
      this.onAppend?.();
    });
    return this.get(id);
  }

  /**
   * Records that the user refused a request held for approval: one complete entry, outcome "declined", with no
   * payload and no bytes (nothing left), and the review saying why it was held. Chained like any other entry.
   */
  recordDeclined(entry: DeclinedAuditEntry): AuditEntry {
    const id = randomUUID();
    this.commit(() => {
      this.db
        .prepare(
          `INSERT INTO audit_log (id, time, conversation_id, conversation_title, purpose, provider_name, provider_kind,
             model, host, payload, bytes_sent, bytes_received, outcome, duration_ms, review, destination)
           VALUES (@id, @time, @conversationId, @conversationTitle, @purpose, @providerName, @providerKind, @model,
             @host, '', 0, 0, 'declined', 0, @review, @destination)`,
        )
        .run({ ...entry, id, time: this.now(), review: JSON.stringify(entry.review), destination: entry.destination ?? null });
      this.chain.append(id, "decline");
      this.onAppend?.();
    });
    return this.get(id);
  }

  /** Fills in what came back once the request ends; only once per entry (later calls return it unchanged). */
  finish(id: string, result: AuditResult): AuditEntry {
    this.commit(() => {
      const { changes } = this.db
        .prepare(
          `UPDATE audit_log SET bytes_received = @bytesReceived, tokens_in = @tokensIn, tokens_out = @tokensOut,
             cost_usd = @costUsd, outcome = @outcome, error = @error, duration_ms = @durationMs
           WHERE id = @id AND duration_ms IS NULL`,
        )
        .run({ ...result, durationMs: result.durationMs ?? 0, id });
      if (changes > 0) this.chain.append(id, "close");
      this.onAppend?.();
    });
    return this.get(id);
  }

  /**
   * Bytes received so far by a request still open: written as they flow (throttled by the caller), so an entry
   * left by a crash or a kill says how much had arrived.
   */
  progress(id: string, bytesReceived: number): void {
    this.db.prepare(`UPDATE audit_log SET bytes_received = ? WHERE id = ? AND duration_ms IS NULL`).run(bytesReceived, id);
  }

  /** Adds to the record of a request still open what only became known on the way (a CDN host it was redirected to). */
  notePayload(id: string, payload: string): void {
    this.commit(() => {
      const { changes } = this.db
        .prepare(`UPDATE audit_log SET payload = ?, payload_base = NULL WHERE id = ? AND duration_ms IS NULL`)
        .run(payload, id);
      if (changes > 0) this.chain.append(id, "amend");
      this.onAppend?.();
    });
  }

  /**
   * At start, entries still open were left by a Hearth that was killed or crashed mid-request: they keep the bytes
   * counted so far and say so. Returns how many there were.
   */
  closeInterrupted(): number {
    return this.commit(() => {
      const ids = this.db
        .prepare(`SELECT id FROM audit_log WHERE duration_ms IS NULL AND outcome = 'aborted' AND error IS NULL ORDER BY time, rowid`)
        .pluck()
        .all() as string[];
      const update = this.db.prepare(`UPDATE audit_log SET error = ? WHERE id = ?`);
      for (const id of ids) {
        update.run(INTERRUPTED, id);
        this.chain.append(id, "close");
      }
      this.onAppend?.();
      return ids.length;
    });
  }

  /**
   * Marks a request that looked complete as failed: the bytes may all have arrived before the reader found them
   * unreadable. Only ever turns "ok" into "error"; nothing else about an entry can change.
   */
  markFailed(id: string, error: string): AuditEntry {
    this.commit(() => {
      const { changes } = this.db
        .prepare(`UPDATE audit_log SET outcome = 'error', error = ? WHERE id = ? AND outcome = 'ok'`)
        .run(error, id);
      if (changes > 0) this.chain.append(id, "amend");
      this.onAppend?.();
    });
    return this.get(id);
  }

  /**
   * Erases the payloads of a conversation's entries (when the conversation is deleted): the text is blanked and
   * overwritten on disk, a tombstone keeps time, host, bytes, outcome and the payload's hash. Returns how many.
   */
  erasePayloads(conversationId: string): number {
    const erased = this.db.transaction(() => {
      const ids = this.db
        .prepare(`SELECT id FROM audit_log WHERE conversation_id = ? AND payload <> '' ORDER BY time, rowid`)
        .pluck()
        .all(conversationId) as string[];
      const blank = this.db.prepare(`UPDATE audit_log SET payload = '', payload_base = NULL WHERE id = ?`);
      // Every tombstone first: each needs its full payload's hash, rebuilt from entries blanked in the same pass.
      for (const id of ids) this.chain.appendErase(id);
      for (const id of ids) blank.run(id);
      this.payloads.forget(ids);
      this.onAppend?.();
      return ids.length;
    });
    // secure_delete zeroes the freed bytes; the checkpoint then drops the WAL frames that still held the old pages.
    const before = this.db.pragma("secure_delete", { simple: true }) as number;
    this.db.pragma("secure_delete = ON");
    try {
      const count = erased();
      this.chain.syncHead();
      if (count > 0) this.db.pragma("wal_checkpoint(TRUNCATE)");
      return count;
    } finally {
      this.db.pragma(`secure_delete = ${before}`);
    }
  }

  /** One page, newest first (audit-query.ts): filtered, after the entry `before`, at most 1000. */
  list(options: AuditFilter & { before?: string; limit?: number }): AuditEntry[] {
    return auditPageRows(this.db, options).map((row) => this.entry(row));
  }

  /** Totals over everything the filter matches. */
  summary(filter: AuditFilter): AuditSummary {
    return auditSummary(this.db, filter);
  }

  /**
   * What the filter matches (the whole log when none; a string is one conversation's), oldest first, as a file to
   * save: the same entries the audit view lists and counts for that filter.
   */
  export(format: "json" | "csv", filter: AuditFilter | string = {}): { fileName: string; mimeType: string; content: string } {
    const { conversationId, ...rest } = typeof filter === "string" ? { conversationId: filter } : filter;
    const where = auditWhere({ ...rest, ...(conversationId === undefined ? {} : { conversationId }) });
    const rows = this.db.prepare(`SELECT * FROM audit_log ${where.sql} ORDER BY time, rowid`).all(where.params) as Row[];
    // Oldest first, so each rebuilt payload is one delta on the one before it.
    const entries = rows.map((row) => this.entry(row));
    const stamp = new Date(this.now()).toISOString().slice(0, 10);
    const scope =
      (conversationId === undefined ? "" : `-${conversationId.replace(/[^\w-]/g, "").slice(0, 40)}`) + (Object.keys(rest).length > 0 ? "-filtered" : "");
    const fileName = `hearth-audit${scope}-${stamp}.${format}`;
    return format === "json"
      ? { fileName, mimeType: "application/json", content: auditToJson(entries) }
      : { fileName, mimeType: "text/csv;charset=utf-8", content: auditToCsv(entries) };
  }

  private get(id: string): AuditEntry {
    const row = this.db.prepare(`SELECT * FROM audit_log WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError("NOT_FOUND", "That audit entry does not exist.");
    return this.entry(row);
  }

  private entry(row: Row | Record<string, unknown>): AuditEntry {
    return toEntry(this.payloads.resolve(row as Record<string, unknown>) as unknown as Row);
  }
}
