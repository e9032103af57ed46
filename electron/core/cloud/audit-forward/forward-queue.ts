import { createHash } from "node:crypto";
import type { AuditEntry } from "../../../contract/index.js";
import type { Db } from "../../store/database.js";
import { reviewOf } from "../audit-log.js";
import { destinationOf } from "../audit-row.js";
import { auditPayloads } from "../audit-payloads.js";

/**
 * One forwarded record: one link of the audit hash chain (audit-chain.ts) with the entry as the audit export writes
 * it, as that link recorded it. `seq`, `prevHash`, `hash` and `state` let the collector check order and
 * completeness and recompute each link's hash (sha256 of prevHash, seq, entryId, event and state, one a line).
 */
export type ForwardRecord = Omit<AuditEntry, "payload"> & {
  /** The text the link hashed; "" once erased (the tombstone); null when a later link amended it. */
  payload: string | null;
  payloadSha256: string | null;
  /** The payload was erased with its conversation: this is the tombstone (time, host, bytes, outcome, hash). */
  erased: boolean;
  seq: number;
  entryId: string;
  event: string;
  prevHash: string;
  hash: string;
  state: string;
};

type LinkRow = {
  seq: number;
  entry_id: string;
  event: string;
  state: string;
  prev_hash: string;
  hash: string;
  current_payload: string | null;
  /** Set when the entry stores its payload as a delta on an earlier one: the record carries the full text anyway. */
  current_base: string | null;
};

// Delivery progress per collector: created on demand, like the chain, so any database gains it when first used.
const SCHEMA = `CREATE TABLE IF NOT EXISTS audit_forward_progress (
  collector TEXT PRIMARY KEY,
  delivered_seq INTEGER NOT NULL,
  delivered_at INTEGER NOT NULL
)`;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const EMPTY_SHA = sha256("");

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The entry as the link's state recorded it (snake_case columns, payload replaced by its hash). */
function recordOf(link: LinkRow): ForwardRecord {
  let state: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(link.state) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) state = parsed as Record<string, unknown>;
  } catch {
    // A state that is not JSON is still forwarded (with its hash): the collector's own check will flag it.
  }
  const payloadSha256 = str(state.payload_sha256);
  const current = link.current_payload;
  // Erasing blanks the text but keeps its hash: a blank row whose link hashed something else is a tombstone.
  const erased = state.erased === true || (current === "" && payloadSha256 !== null && payloadSha256 !== EMPTY_SHA);
  const review = reviewOf(state.review);
  const destination = destinationOf(state.destination);
  const payload = erased ? "" : current !== null && payloadSha256 !== null && sha256(current) === payloadSha256 ? current : null;
  return {
    id: str(state.id) ?? link.entry_id,
    time: num(state.time) ?? 0,
    conversationId: str(state.conversation_id),
    conversationTitle: str(state.conversation_title),
    purpose: (str(state.purpose) ?? "chat") as AuditEntry["purpose"],
    providerName: str(state.provider_name) ?? "",
    providerKind: str(state.provider_kind) ?? "",
    model: str(state.model),
    host: str(state.host) ?? "",
    payload,
    bytesSent: num(state.bytes_sent) ?? 0,
    bytesReceived: num(state.bytes_received) ?? 0,
    tokensIn: num(state.tokens_in),
    tokensOut: num(state.tokens_out),
    costUsd: num(state.cost_usd),
    outcome: (str(state.outcome) ?? "aborted") as AuditEntry["outcome"],
    error: str(state.error),
    durationMs: num(state.duration_ms),
    ...(review ? { review } : {}),
    ...(destination ? { destination } : {}),
    payloadSha256,
    erased,
    seq: link.seq,
    entryId: link.entry_id,
    event: link.event,
    prevHash: link.prev_hash,
    hash: link.hash,
    state: link.state,
  };
}

/**
 * The durable side of forwarding: which chain links a collector has acknowledged (one row per collector identity in
 * the database, so a restart resumes after the last acknowledged link) and the records still to send, in seq order.
 */
export class ForwardQueue {
  constructor(
    private readonly db: Db,
    readonly collector: string,
  ) {
    db.exec(SCHEMA);
  }

  private hasChain(): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'`).get() !== undefined;
  }

  private hasPayloadBase(): boolean {
    const columns = this.db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all() as string[];
    return columns.includes("payload_base");
  }

  /** The last seq the collector acknowledged (0: none yet) and when. */
  progress(): { seq: number; at: number | null } {
    const row = this.db.prepare(`SELECT delivered_seq, delivered_at FROM audit_forward_progress WHERE collector = ?`).get(this.collector) as
      | { delivered_seq: number; delivered_at: number }
      | undefined;
    return row ? { seq: row.delivered_seq, at: row.delivered_at } : { seq: 0, at: null };
  }

  /**
   * Records after the acknowledged one, oldest first: at most `limit` and `maxBytes` of JSON Lines, never fewer than
   * one (a record larger than the batch goes alone; the transport caps it, see record-cap.ts).
   */
  next(limit: number, maxBytes: number): ForwardRecord[] {
    if (!this.hasChain()) return [];
    const rows = this.db
      .prepare(
        `SELECT c.seq, c.entry_id, c.event, c.state, c.prev_hash, c.hash, l.payload AS current_payload,
           ${this.hasPayloadBase() ? "l.payload_base" : "NULL"} AS current_base
         FROM audit_chain c LEFT JOIN audit_log l ON l.id = c.entry_id
         WHERE c.seq > ? ORDER BY c.seq LIMIT ?`,
      )
      .all(this.progress().seq, limit) as LinkRow[];
    const records: ForwardRecord[] = [];
    let bytes = 0;
    const payloads = auditPayloads(this.db);
    for (const row of rows) {
      // The collector gets what was sent, whole: a reference into its own earlier records could not be checked
      // once those were rotated away, and the link's hash is of the full text.
      const current = row.current_payload === null ? null : payloads.full({ id: row.entry_id, payload: row.current_payload, payload_base: row.current_base });
      const record = recordOf({ ...row, current_payload: current });
      // Exact: the JSON line as sent (escaping and multi-byte text counted), so a batch's byte cap holds.
      bytes += Buffer.byteLength(JSON.stringify(record), "utf8") + 1;
      if (records.length > 0 && bytes > maxBytes) break;
      records.push(record);
    }
    return records;
  }

  /** Links written and not yet acknowledged. */
  pending(): number {
    if (!this.hasChain()) return 0;
    return (this.db.prepare(`SELECT COUNT(*) FROM audit_chain WHERE seq > ?`).pluck().get(this.progress().seq) as number) ?? 0;
  }

  /** Stores the acknowledgement; progress only moves forward. */
  acknowledge(seq: number, at: number): void {
    this.db
      .prepare(
        `INSERT INTO audit_forward_progress (collector, delivered_seq, delivered_at) VALUES (?, ?, ?)
         ON CONFLICT(collector) DO UPDATE SET delivered_seq = MAX(delivered_seq, excluded.delivered_seq), delivered_at = excluded.delivered_at`,
      )
      .run(this.collector, seq, at);
  }
}
