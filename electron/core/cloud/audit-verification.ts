import type { Db } from "../store/database.js";
import { GENESIS, verifyAuditChain, type VerifyReport } from "./audit-chain.js";
import { checkHead, readHead } from "./audit-head.js";
import type { AuditKeyReading } from "./audit-key.js";

/**
 * The whole verification: the hash chain in the database, each link's signature, and the signed head file outside
 * the database. `signatures` says how far it could go: "checked" with the key; "unchecked" where the key exists but
 * cannot be unsealed here (the CLI without the keychain: hashes and the head's position were still checked);
 * "not-set-up" for a data folder that has no key yet (only the hash chain exists to check).
 */
export type AuditVerification = VerifyReport & {
  signatures: "checked" | "unchecked" | "not-set-up";
  note: string | null;
};

/** `keyReading` is null when the data folder has no audit key file at all. */
export function verifyAuditLog(db: Db, options: { dataDir: string; keyReading: AuditKeyReading | null }): AuditVerification {
  const { keyReading, dataDir } = options;
  if (!keyReading) {
    return { ...verifyAuditChain(db), signatures: "not-set-up", note: "No audit signing key in this data folder yet: only the hash chain was checked." };
  }
  const key = keyReading.key;
  const head = readHead(dataDir);
  const signedFrom = head.status === "present" ? head.head.signedFrom : null;
  const chain = verifyAuditChain(db, key ? { key, signedFrom } : null);
  const hasChain = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'`).get() !== undefined;
  const last = hasChain ? ((db.prepare(`SELECT max(seq) FROM audit_chain`).pluck().get() as number | null) ?? 0) : 0;
  const hashAt = (seq: number): string | undefined =>
    seq === 0 ? GENESIS : hasChain ? (db.prepare(`SELECT hash FROM audit_chain WHERE seq = ?`).pluck().get(seq) as string | undefined) : undefined;
  const headProblem = checkHead(head, key, { last, hashAt });
  const note = key ? null : `${keyReading.reason} Signatures were not checked; the hashes and the head file's position were.`;
  const signatures = key ? "checked" : "unchecked";
  if (headProblem && (!chain.firstBroken || headProblem.seq < chain.firstBroken.seq)) {
    return { ok: false, entries: chain.entries, links: chain.links, firstBroken: headProblem, signatures, note };
  }
  return { ...chain, signatures, note };
}
