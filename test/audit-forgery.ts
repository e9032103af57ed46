import { createHash } from "node:crypto";
import type Database from "better-sqlite3-multiple-ciphers";
import { canonicalState } from "../electron/core/cloud/audit-chain.js";

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * What a careful forger with the database file does after editing an audit entry: re-derives the state chained at
 * link `from` from the edited row and recomputes every sha256 link from there on, so the database alone looks whole.
 */
export function rechain(db: Database.Database, from: number): void {
  const links = db.prepare(`SELECT * FROM audit_chain WHERE seq >= ? ORDER BY seq`).all(from) as {
    seq: number;
    entry_id: string;
    event: string;
    state: string;
  }[];
  let prev = db.prepare(`SELECT hash FROM audit_chain WHERE seq = ?`).pluck().get(from - 1) as string;
  for (const link of links) {
    const row = db.prepare(`SELECT * FROM audit_log WHERE id = ?`).get(link.entry_id) as Record<string, unknown>;
    const state = link.seq === from ? canonicalState(row) : link.state;
    const hash = sha256(`${prev}\n${link.seq}\n${link.entry_id}\n${link.event}\n${state}`);
    db.prepare(`UPDATE audit_chain SET state = ?, prev_hash = ?, hash = ? WHERE seq = ?`).run(state, prev, hash, link.seq);
    prev = hash;
  }
}
