import fs from "node:fs";
import { connect, type Db } from "./database.js";
import { checkFile } from "./integrity.js";
import { ensurePrivateFile, PRIVATE_FILE_MODE, tighten } from "./private-files.js";

/**
 * Writes a copy of the open database to `target` encrypted with `toKey` (or decrypted when it is null), and checks
 * the copy before anyone may swap it in. The live file is only read: a crash at any point leaves it as it was.
 * Synchronous, so no write of the app can slip in between the copy and the swap.
 */
export function writeConvertedCopy(source: Db, fromKey: Buffer | null, toKey: Buffer | null, target: string): void {
  fs.rmSync(target, { force: true });
  ensurePrivateFile(target);
  try {
    // VACUUM INTO keeps the source's encryption and writes a rollback-journal file, which rekey requires.
    source.prepare("VACUUM INTO ?").run(target);
    tighten(target, PRIVATE_FILE_MODE);
    rekeyFile(target, fromKey, toKey);
    const problem = checkFile(target, toKey);
    if (problem) throw new Error(`the converted copy failed its check: ${problem}`);
  } catch (error) {
    fs.rmSync(target, { force: true });
    fs.rmSync(`${target}-journal`, { force: true });
    throw error;
  }
}

/** Re-encrypts a closed, rollback-journal database file in place (SQLite3 Multiple Ciphers' rekey; empty = decrypt). */
export function rekeyFile(file: string, fromKey: Buffer | null, toKey: Buffer | null): void {
  const db = connect(file, { key: fromKey, fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
    db.rekey(toKey ?? Buffer.alloc(0));
  } finally {
    db.close();
  }
}
