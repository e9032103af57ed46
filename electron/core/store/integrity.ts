import fs from "node:fs";
import { connect, type Db } from "./database.js";

const plaintextHeader = Buffer.from("SQLite format 3\0", "latin1");

/** What the first bytes of a database file say: a plain SQLite file, something else (encrypted or junk), or nothing. */
export function fileKind(file: string): "missing" | "empty" | "plaintext" | "other" {
  let handle: number;
  try {
    handle = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    const head = Buffer.alloc(plaintextHeader.length);
    const read = fs.readSync(handle, head, 0, head.length, 0);
    if (read === 0) return "empty";
    return read === head.length && head.equals(plaintextHeader) ? "plaintext" : "other";
  } finally {
    fs.closeSync(handle);
  }
}

/** SQLite's answers that mean the file itself is bad, as opposed to busy, locked or unreadable. */
const damageCodes = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_INDEX"]);

export function isDamageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && damageCodes.has(code);
}

/** `PRAGMA quick_check` on an open connection: null when it is sound, else the first problem it names. */
export function quickCheck(db: Db): string | null {
  try {
    const rows = db.pragma("quick_check") as { quick_check: string }[];
    const problems = rows.map((row) => row.quick_check).filter((line) => line !== "ok");
    return problems.length === 0 ? null : problems[0]!;
  } catch (error) {
    if (isDamageError(error)) return (error as Error).message;
    throw error;
  }
}

/** Checks a database file that nobody has open (a backup, a converted copy): null when sound, else why not. */
export function checkFile(file: string, key: Buffer | null): string | null {
  const kind = fileKind(file);
  if (kind === "missing") return "the file is missing";
  if (kind === "empty") return "the file is empty (0 bytes)";
  if (kind === "other" && !key) return "the file is not a SQLite database";
  let db: Db | null = null;
  try {
    db = connect(file, { key: kind === "other" ? key : null, readonly: true, fileMustExist: true });
    return quickCheck(db);
  } catch (error) {
    if (isDamageError(error)) return (error as Error).message;
    throw error;
  } finally {
    db?.close();
  }
}
