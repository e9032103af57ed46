import { createHash } from "node:crypto";
import type { Db } from "../store/database.js";
import { auditPayloads } from "./audit-payloads.js";
import { GENESIS_HASH, headFollowsChain, linkMac, linkMacValid, readHead, writeHead } from "./audit-head.js";

/** The link before the first one. */
export const GENESIS = GENESIS_HASH;

/** "decline": a held request the user refused (one complete entry with nothing sent). */
export type ChainEvent = "open" | "close" | "amend" | "adopt" | "erase" | "decline";

export type VerifyReport = {
  ok: boolean;
  entries: number;
  links: number;
  firstBroken: { seq: number; entryId: string | null; reason: string } | null;
};

// Created on demand rather than by a migration step, so that a database of any schema version gains the chain
// the first time the log opens it (older entries are then chained once, as "adopt").
const SCHEMA = `CREATE TABLE IF NOT EXISTS audit_chain (
  seq INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL,
  event TEXT NOT NULL,
  state TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  mac TEXT
)`;

/**
 * The installation's audit key and data folder: each link is then signed (column mac, an HMAC of its hash) and the
 * head file outside the database follows the chain's end. `created` when the key was made at this start.
 */
export type AuditSeal = { key: Buffer; dataDir: string; created: boolean };

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Canonical JSON with sorted keys; the payload is replaced by its hash so the chain survives erasing it (pass a row
 * whose payload is rebuilt whole: AuditPayloads.resolve). A NULL
 * review (not held, or a row from before the column) is left out, so links chained before it existed still verify.
 */
export function canonicalState(row: Record<string, unknown>, keepBytes = true): string {
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(row).sort()) {
    if (key === "review" && (row.review === null || row.review === undefined)) continue;
    // Same for the destination (policy internalHosts): NULL for hub traffic and rows chained before the column.
    if (key === "destination" && (row.destination === null || row.destination === undefined)) continue;
    // How the payload is stored (whole or as a delta, audit-payloads.ts) is not what was sent: the hash is of the text.
    if (key === "payload_base") continue;
    if (key === "payload") state.payload_sha256 = sha256(String(row.payload));
    else if (key === "bytes_received" && !keepBytes) continue;
    else state[key] = row[key];
  }
  return JSON.stringify(state, Object.keys(state).sort());
}

const linkHash = (prev: string, seq: number, entryId: string, event: string, state: string): string =>
  sha256(`${prev}\n${seq}\n${entryId}\n${event}\n${state}`);

/** The hash chain over audit_log: one INSERT per event that changes what an entry says. */
export class AuditChain {
  private readonly last;
  private readonly row;
  private readonly insert;
  private readonly hashAt;

  constructor(
    private readonly db: Db,
    private readonly seal: AuditSeal | null = null,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(SCHEMA);
    // Chains made before links were signed gain the column (NULL = unsigned); the schema version is not touched.
    const columns = db.prepare(`SELECT name FROM pragma_table_info('audit_chain')`).pluck().all() as string[];
    if (!columns.includes("mac")) db.exec(`ALTER TABLE audit_chain ADD COLUMN mac TEXT`);
    this.last = db.prepare(`SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1`);
    this.row = db.prepare(`SELECT * FROM audit_log WHERE id = ?`);
    this.insert = db.prepare(
      `INSERT INTO audit_chain (seq, entry_id, event, state, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.hashAt = db.prepare(`SELECT hash FROM audit_chain WHERE seq = ?`).pluck();
    const before = this.lastLink().seq;
    this.adopt();
    if (seal?.created) {
      // A new key signs from here on; the links before it keep only their hashes (the head says where signing began).
      const last = this.lastLink();
      writeHead(seal.dataDir, seal.key, { seq: last.seq, hash: last.hash, at: this.now(), signedFrom: before + 1 });
    } else this.syncHead();
  }

  /**
   * Moves the head file to the chain's last link; call after the transaction that appended commits. A head that no
   * longer matches the chain (edited, deleted, or ahead of a cut chain) is left as it is, so verification keeps
   * reporting it rather than the next request quietly covering it.
   */
  syncHead(): void {
    // Inside a caller's transaction the links may still roll back; the next append after it commits moves the head.
    if (!this.seal || this.db.inTransaction) return;
    const { key, dataDir } = this.seal;
    try {
      const last = this.lastLink();
      const reading = readHead(dataDir);
      if (reading.status !== "present" || !headFollowsChain(reading, key, this.view(last.seq))) return;
      if (reading.head.seq === last.seq && reading.head.hash === last.hash) return;
      // A head still at the start (the key was made on an empty stand-in database, before a restore) learns where
      // signing really began from the chain.
      const signedFrom =
        reading.head.seq === 0
          ? ((this.db.prepare(`SELECT min(seq) FROM audit_chain WHERE mac IS NOT NULL`).pluck().get() as number | null) ?? last.seq + 1)
          : reading.head.signedFrom;
      writeHead(dataDir, key, { seq: last.seq, hash: last.hash, at: this.now(), signedFrom });
    } catch {
      // A head left behind (disk full) still matches an earlier link; the next append moves it on.
    }
  }

  private lastLink(): { seq: number; hash: string } {
    return (this.last.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS };
  }

  private view(last: number) {
    return { last, hashAt: (seq: number) => (seq === 0 ? GENESIS : (this.hashAt.get(seq) as string | undefined)) };
  }

  /** Chains the entry's current fields under `event`. */
  append(entryId: string, event: ChainEvent): void {
    const row = this.fullRow(entryId);
    if (row) this.link(entryId, event, canonicalState(row));
  }

  /**
   * Chains the erasure of an entry's payload (call before blanking it): the tombstone keeps every other field and
   * the payload's hash, so the chain still verifies once the text is gone.
   */
  appendErase(entryId: string): void {
    const row = this.fullRow(entryId);
    if (!row) return;
    const state = JSON.parse(canonicalState(row)) as Record<string, unknown>;
    this.link(entryId, "erase", canonicalState({ ...state, erased: true }));
  }

  private fullRow(entryId: string): Record<string, unknown> | undefined {
    const row = this.row.get(entryId) as Record<string, unknown> | undefined;
    return row && auditPayloads(this.db).resolve(row);
  }

  private link(entryId: string, event: ChainEvent, state: string): void {
    const head = this.lastLink();
    const seq = head.seq + 1;
    const prev = head.hash;
    const hash = linkHash(prev, seq, entryId, event, state);
    this.insert.run(seq, entryId, event, state, prev, hash, this.seal ? linkMac(this.seal.key, seq, hash) : null);
  }

  /** Entries written before the chain existed are chained once, as they are now ("adopt"). */
  private adopt(): void {
    const ids = this.db
      .prepare(`SELECT id FROM audit_log WHERE id NOT IN (SELECT entry_id FROM audit_chain) ORDER BY time, rowid`)
      .pluck()
      .all() as string[];
    if (ids.length > 0) this.db.transaction(() => ids.forEach((id) => this.append(id, "adopt")))();
  }
}

/**
 * With the key, each link's signature is checked too: from `signedFrom` on (the head says where signing began), or,
 * without a head, from the first signed link on (signing never stops once it started).
 */
export type SignatureCheck = { key: Buffer; signedFrom: number | null };

/**
 * Recomputes every link, then checks each audit_log row against its latest chained state (bytes received may grow
 * while an entry is open) and that no chained entry is missing. Reports the first broken link.
 */
export function verifyAuditChain(db: Db, signatures: SignatureCheck | null = null): VerifyReport {
  // Read-only: a database the log never opened since the chain came has no chain table yet.
  const hasChain = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'`).get() !== undefined;
  const links = (hasChain ? db.prepare(`SELECT * FROM audit_chain ORDER BY seq`).all() : []) as {
    seq: number;
    entry_id: string;
    event: string;
    state: string;
    prev_hash: string;
    hash: string;
    mac?: string | null;
  }[];
  let signing = false;
  const latest = new Map<string, { seq: number; state: string }>();
  let prev = GENESIS;
  let expected = 1;
  const broken = (seq: number, entryId: string | null, reason: string): VerifyReport => ({
    ok: false,
    entries: latest.size,
    links: links.length,
    firstBroken: { seq, entryId, reason },
  });
  for (const link of links) {
    if (link.seq !== expected) return broken(expected, null, `Link ${expected} is missing.`);
    if (link.prev_hash !== prev) return broken(link.seq, link.entry_id, "It does not follow the link before it.");
    if (linkHash(prev, link.seq, link.entry_id, link.event, link.state) !== link.hash)
      return broken(link.seq, link.entry_id, "Its content does not match its hash.");
    if (signatures) {
      const mac = link.mac ?? null;
      const mustBeSigned = signatures.signedFrom === null ? signing : link.seq >= signatures.signedFrom;
      if (mac === null && mustBeSigned)
        return broken(link.seq, link.entry_id, "It is not signed, though it should be: it was written or rewritten outside Hearth.");
      if (mac !== null && !linkMacValid(signatures.key, link.seq, link.hash, mac))
        return broken(link.seq, link.entry_id, "Its signature does not match: it was rewritten outside Hearth (hashes recomputed).");
      if (mac !== null) signing = true;
    }
    latest.set(link.entry_id, { seq: link.seq, state: link.state });
    prev = link.hash;
    expected++;
  }
  // In insertion order, so each payload stored as a delta is rebuilt from the one just before it.
  const payloads = auditPayloads(db);
  const rows = (db.prepare(`SELECT * FROM audit_log ORDER BY rowid`).all() as Record<string, unknown>[]).map((row) => payloads.resolve(row));
  const seen = new Set<string>();
  const problems: { seq: number; entryId: string | null; reason: string }[] = [];
  for (const row of rows) {
    const id = String(row.id);
    seen.add(id);
    const chained = latest.get(id);
    if (!chained) {
      problems.push({ seq: expected, entryId: id, reason: "This entry is not in the chain." });
      continue;
    }
    const open = row.duration_ms === null;
    const chainedState = JSON.parse(chained.state) as Record<string, unknown>;
    if (chainedState.erased === true) {
      const actual = JSON.parse(canonicalState(row, !open)) as Record<string, unknown>;
      const tombstone = { ...actual, payload_sha256: chainedState.payload_sha256, erased: true };
      const expected = open ? JSON.parse(canonicalState(chainedState, false)) : chainedState;
      if (row.payload !== "" || canonicalState(tombstone) !== canonicalState(expected as Record<string, unknown>))
        problems.push({ seq: chained.seq, entryId: id, reason: "The erased entry was changed after it was chained." });
      continue;
    }
    const same = open
      ? canonicalState(row, false) === canonicalState(JSON.parse(chained.state) as Record<string, unknown>, false)
      : canonicalState(row) === chained.state;
    if (!same) problems.push({ seq: chained.seq, entryId: id, reason: "The entry was changed after it was chained." });
  }
  for (const [id, chained] of latest) {
    if (!seen.has(id)) problems.push({ seq: chained.seq, entryId: id, reason: "The entry was deleted." });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const first = problems[0];
  return first ? broken(first.seq, first.entryId, first.reason) : { ok: true, entries: latest.size, links: links.length, firstBroken: null };
}
