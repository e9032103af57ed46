import type { Db } from "../store/database.js";
import { applyDelta, diffPayload, parseDelta } from "./audit-payload-delta.js";

/**
 * Each audit entry stores what it sent once. A chat request carries the conversation's history again, so an entry
 * of a conversation that already has a closed entry stores only a delta against that one (column payload_base names
 * it, the delta names its text by SHA-256) and the full body is rebuilt wherever it is read: the list, the export,
 * the chain (which hashes the full body, as before) and the forwarder (which sends the full body).
 *
 * Why a base is always a closed entry of the same conversation: a closed entry's payload never changes again except
 * by erasure, and erasure takes a whole conversation at once, so no delta outlives the text it copies from.
 */
type StoredRow = { id: string; payload: string; payload_base?: string | null };

/** Below this a payload is stored whole: there is no history worth referencing. */
const MIN_DELTA_BYTES = 512;
const CACHE_SIZE = 64;

export class AuditPayloads {
  // Rebuilt bodies of recent bases: a conversation's entries are read in order, so each rebuild is one delta.
  private readonly cache = new Map<string, { stored: string; full: string }>();

  // Statements are prepared per call: restoring a backup or encrypting swaps the connection under `db` (db-handle.ts).
  constructor(private readonly db: Db) {}

  /** SELECT *: verification also reads databases from before the payload_base column, and opens them read-only. */
  private storedRow(id: string): StoredRow | undefined {
    return this.db.prepare(`SELECT * FROM audit_log WHERE id = ?`).get(id) as StoredRow | undefined;
  }

  /** Adds the payload_base column where it is missing (the log does, when it opens the database for writing). */
  static addColumn(db: Db): void {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all() as string[];
    if (!columns.includes("payload_base")) db.exec(`ALTER TABLE audit_log ADD COLUMN payload_base TEXT`);
  }

  /** What to write for a new entry's payload: a delta against the conversation's latest closed entry, or the text. */
  encode(conversationId: string | null, payload: string): { payload: string; payloadBase: string | null } {
    const whole = { payload, payloadBase: null };
    if (conversationId === null || payload.length < MIN_DELTA_BYTES) return whole;
    const base = this.db
      .prepare(
        `SELECT id, payload, payload_base FROM audit_log
         WHERE conversation_id = ? AND duration_ms IS NOT NULL AND payload <> ''
         ORDER BY time DESC, rowid DESC LIMIT 1`,
      )
      .get(conversationId) as StoredRow | undefined;
    if (!base) return whole;
    const encoded = JSON.stringify(diffPayload(this.full(base), payload));
    return encoded.length < payload.length / 2 ? { payload: encoded, payloadBase: base.id } : whole;
  }

  /** The full text a stored row sent ("" once erased). */
  full(row: StoredRow): string {
    // Walk back to a payload stored whole (or cached), then apply the deltas forward: no recursion, any depth.
    const pending: { row: StoredRow; base: string }[] = [];
    let current: StoredRow | undefined = row;
    let text: string | null = null;
    while (current) {
      const cached = this.cache.get(current.id);
      if (cached && cached.stored === current.payload) {
        text = cached.full;
        break;
      }
      const baseId: string | null | undefined = current.payload_base;
      if (!baseId) {
        text = current.payload;
        break;
      }
      pending.push({ row: current, base: baseId });
      current = this.storedRow(baseId);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const { row: dependent } = pending[i]!;
      const delta = parseDelta(dependent.payload);
      // A delta that does not parse or whose base is gone was edited outside Hearth: shown as stored, and
      // verification reports it (the chain hashed the rebuilt body).
      text = delta && text !== null ? applyDelta(text, delta) : dependent.payload;
      this.remember(dependent.id, dependent.payload, text);
    }
    return text ?? row.payload;
  }

  /** The row as it would read if stored whole: full payload, no payload_base column. */
  resolve<T extends Record<string, unknown>>(row: T): T {
    const { payload_base: _base, ...rest } = row;
    if (!("payload_base" in row) || row.payload_base === null) return rest as unknown as T;
    return { ...rest, payload: this.full(row as unknown as StoredRow) } as unknown as T;
  }

  private remember(id: string, stored: string, full: string): void {
    this.cache.delete(id);
    this.cache.set(id, { stored, full });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Erasure blanks rows: what was cached from them must go too. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.cache.delete(id);
  }
}

const readers = new WeakMap<Db, AuditPayloads>();

/** One reader per database (its cache is shared by the log, the chain, verification and the forwarder). */
export function auditPayloads(db: Db): AuditPayloads {
  let reader = readers.get(db);
  if (!reader) readers.set(db, (reader = new AuditPayloads(db)));
  return reader;
}
