import { randomUUID } from "node:crypto";
import type { AuditEntry, AuditReview } from "../../contract/index.js";
import { AppError, auditReviewSchema } from "../../contract/index.js";
import type { Db } from "../store/database.js";
import { AuditChain, type AuditSeal } from "./audit-chain.js";
import { auditToCsv, auditToJson } from "./audit-export.js";

export type NewAuditEntry = Omit<AuditEntry, "id" | "time" | "bytesReceived" | "tokensIn" | "tokensOut" | "costUsd" | "outcome" | "error" | "durationMs" | "review"> & {
  review?: AuditReview | null;
};

/** A held request the user refused: nothing left, so no payload and no bytes. */
export type DeclinedAuditEntry = Omit<NewAuditEntry, "payload" | "bytesSent" | "review"> & { review: AuditReview };

export type AuditResult = Pick<AuditEntry, "bytesReceived" | "tokensIn" | "tokensOut" | "costUsd" | "outcome" | "error" | "durationMs">;

type Row = {
  id: string;
  time: number;
  conversation_id: string | null;
  conversation_title: string | null;
  purpose: AuditEntry["purpose"];
  provider_name: string;
  provider_kind: string;
  model: string | null;
  host: string;
  payload: string;
  bytes_sent: number;
  bytes_received: number;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
  outcome: AuditEntry["outcome"];
  error: string | null;
  duration_ms: number | null;
  /** JSON of AuditReview; NULL when the request was not held (and in databases from before the column). */
  review?: string | null;
};

/** The review column's JSON, read back; a value that does not parse as one is left out rather than shown wrong. */
export function reviewOf(text: unknown): AuditReview | null {
  if (typeof text !== "string" || text === "") return null;
  try {
    const parsed = auditReviewSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const toEntry = (row: Row): AuditEntry => withReview(row, {
  id: row.id,
  time: row.time,
  conversationId: row.conversation_id,
  conversationTitle: row.conversation_title,
  purpose: row.purpose,
  providerName: row.provider_name,
  providerKind: row.provider_kind,
  model: row.model,
  host: row.host,
  payload: row.payload,
  bytesSent: row.bytes_sent,
  bytesReceived: row.bytes_received,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  costUsd: row.cost_usd,
  outcome: row.outcome,
  error: row.error,
  durationMs: row.duration_ms,
});

function withReview(row: Row, entry: AuditEntry): AuditEntry {
  const review = reviewOf(row.review);
  return review ? { ...entry, review } : entry;
}

/** What an entry left open by a killed or crashed Hearth says, once the next start finds it. */
export const INTERRUPTED = "Interrupted: Hearth stopped before this request ended (closed or crashed).";

/** The append-only audit log (table audit_log, migration 3). Not editable from the UI: there is no delete. */
export class AuditLog {
  /** Every change to what an entry says is also chained (audit-chain.ts); progress bytes are not. */
  private readonly chain: AuditChain;
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
             model, host, payload, bytes_sent, bytes_received, outcome, review)
           VALUES (@id, @time, @conversationId, @conversationTitle, @purpose, @providerName, @providerKind, @model,
             @host, @payload, @bytesSent, 0, 'aborted', @review)`,
        )
        .run({ ...entry, id, time: this.now(), review: entry.review ? JSON.stringify(entry.review) : null });
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
             model, host, payload, bytes_sent, bytes_received, outcome, duration_ms, review)
           VALUES (@id, @time, @conversationId, @conversationTitle, @purpose, @providerName, @providerKind, @model,
             @host, '', 0, 0, 'declined', 0, @review)`,
        )
        .run({ ...entry, id, time: this.now(), review: JSON.stringify(entry.review) });
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
        .prepare(`UPDATE audit_log SET payload = ? WHERE id = ? AND duration_ms IS NULL`)
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
      const blank = this.db.prepare(`UPDATE audit_log SET payload = '' WHERE id = ?`);
      for (const id of ids) {
        this.chain.appendErase(id);
        blank.run(id);
      }
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

  /** Newest first. */
  list(options: { conversationId?: string; limit?: number }): AuditEntry[] {
    const limit = Math.max(1, Math.min(options.limit ?? 1000, 100_000));
    const rows =
      options.conversationId === undefined
        ? this.db.prepare(`SELECT * FROM audit_log ORDER BY time DESC, rowid DESC LIMIT ?`).all(limit)
        : this.db
            .prepare(`SELECT * FROM audit_log WHERE conversation_id = ? ORDER BY time DESC, rowid DESC LIMIT ?`)
            .all(options.conversationId, limit);
    return (rows as Row[]).map(toEntry);
  }

  /** All of the log (or one conversation's), oldest first, as a file to save. */
  export(format: "json" | "csv", conversationId?: string): { fileName: string; mimeType: string; content: string } {
    const rows = (
      conversationId === undefined
        ? this.db.prepare(`SELECT * FROM audit_log ORDER BY time, rowid`).all()
        : this.db.prepare(`SELECT * FROM audit_log WHERE conversation_id = ? ORDER BY time, rowid`).all(conversationId)
    ) as Row[];
    const entries = rows.map(toEntry);
    const stamp = new Date(this.now()).toISOString().slice(0, 10);
    const scope = conversationId === undefined ? "" : `-${conversationId.replace(/[^\w-]/g, "").slice(0, 40)}`;
    const fileName = `hearth-audit${scope}-${stamp}.${format}`;
    return format === "json"
      ? { fileName, mimeType: "application/json", content: auditToJson(entries) }
      : { fileName, mimeType: "text/csv;charset=utf-8", content: auditToCsv(entries) };
  }

  private get(id: string): AuditEntry {
    const row = this.db.prepare(`SELECT * FROM audit_log WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError("NOT_FOUND", "That audit entry does not exist.");
    return toEntry(row);
  }
}
