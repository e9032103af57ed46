import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PRIVATE_FILE_MODE, tighten } from "../store/private-files.js";

/** The link before the first one. */
export const GENESIS_HASH = "0".repeat(64);

/** The chain's head, kept outside the database so that cutting or rewriting the chain's end shows. */
export const AUDIT_HEAD_FILE = "audit-head.json";

/** What the head says: the last link when it was written, and the first link that had to be signed. */
export type HeadFields = { seq: number; hash: string; at: number; signedFrom: number };

type HeadFile = HeadFields & { version: 1; mac: string };

export type HeadReading = { status: "missing" } | { status: "unreadable" } | { status: "present"; head: HeadFile };

/** A problem the head finds, in the shape of a broken link. */
export type HeadProblem = { seq: number; entryId: null; reason: string };

const hmac = (key: Buffer, text: string): string => createHmac("sha256", key).update(text, "utf8").digest("hex");

const sameHex = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** A chain link's signature: its hash already covers its content and every link before it. */
export const linkMac = (key: Buffer, seq: number, hash: string): string => hmac(key, `hearth-audit-link\n${seq}\n${hash}`);

export const linkMacValid = (key: Buffer, seq: number, hash: string, mac: string): boolean => sameHex(linkMac(key, seq, hash), mac);

const headMac = (key: Buffer, head: HeadFields): string =>
  hmac(key, `hearth-audit-head\n${head.seq}\n${head.hash}\n${head.at}\n${head.signedFrom}`);

export const headMacValid = (key: Buffer, head: HeadFile): boolean => sameHex(headMac(key, head), head.mac);

const isInt = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** Reads the head file without the key (the MAC is checked separately, where the key can be unsealed). */
export function readHead(dataDir: string): HeadReading {
  const file = path.join(dataDir, AUDIT_HEAD_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "unreadable" };
  }
  try {
    const head = JSON.parse(text) as Partial<HeadFile>;
    if (head.version !== 1 || !isInt(head.seq) || !isInt(head.at) || !isInt(head.signedFrom)) return { status: "unreadable" };
    if (typeof head.hash !== "string" || !/^[0-9a-f]{64}$/.test(head.hash)) return { status: "unreadable" };
    if (typeof head.mac !== "string" || !/^[0-9a-f]{64}$/.test(head.mac)) return { status: "unreadable" };
    return { status: "present", head: head as HeadFile };
  } catch {
    return { status: "unreadable" };
  }
}

/** Writes the head, signed, atomically and owner-only. */
export function writeHead(dataDir: string, key: Buffer, fields: HeadFields): void {
  const file = path.join(dataDir, AUDIT_HEAD_FILE);
  const head: HeadFile = { version: 1, ...fields, mac: headMac(key, fields) };
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(head), { mode: PRIVATE_FILE_MODE });
  tighten(temp, PRIVATE_FILE_MODE);
  fs.renameSync(temp, file);
}

/**
 * Compares the head with the chain in the database (`hashAt` gives a link's hash, `last` the last link's seq).
 * With the key, an edited head file is found too; without it, only whether the chain still reaches the head.
 */
export function checkHead(
  reading: HeadReading,
  key: Buffer | null,
  chain: { last: number; hashAt: (seq: number) => string | undefined },
): HeadProblem | null {
  if (reading.status === "missing") {
    if (chain.last === 0) return null;
    return { seq: chain.last, entryId: null, reason: `The head file (${AUDIT_HEAD_FILE}) is missing: it was deleted, so a cut or rewritten end of the chain could not be seen.` };
  }
  if (reading.status === "unreadable") {
    return { seq: chain.last, entryId: null, reason: `The head file (${AUDIT_HEAD_FILE}) cannot be read: it was edited or damaged.` };
  }
  const head = reading.head;
  if (key && !headMacValid(key, head)) {
    return { seq: Math.min(head.seq, chain.last), entryId: null, reason: `The head file (${AUDIT_HEAD_FILE}) was edited: its signature does not match.` };
  }
  if (head.seq > chain.last) {
    return {
      seq: chain.last + 1,
      entryId: null,
      reason: `The chain ends at link ${chain.last}, but the head recorded link ${head.seq}: links were removed from its end (or the database was replaced by an older copy).`,
    };
  }
  if (chain.hashAt(head.seq) !== head.hash) {
    return { seq: head.seq, entryId: null, reason: `Link ${head.seq} is not the one the head recorded: the chain was rewritten up to here.` };
  }
  return null;
}

/** Whether the head may move on to a new last link: only from a head that still matches the chain (else it stays as evidence). */
export function headFollowsChain(reading: HeadReading, key: Buffer, chain: { last: number; hashAt: (seq: number) => string | undefined }): boolean {
  return reading.status === "present" && checkHead(reading, key, chain) === null;
}
