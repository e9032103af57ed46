import fs from "node:fs";
import path from "node:path";
import type { Db } from "./database.js";
import { checkFile } from "./integrity.js";
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_FILE_MODE, tighten } from "./private-files.js";

export type BackupReason = "start" | "migration" | "encryption" | "restore";

export type BackupFile = {
  /** The file name inside the backups folder; what the contract calls a backup's id. */
  name: string;
  file: string;
  createdAt: number;
  reason: BackupReason;
  sizeBytes: number;
};

const namePattern = /^hearth-(\d{13})-(\d{3})-(start|migration|encryption|restore)\.db$/;

/**
 * Rolling copies of the database in one owner-only folder, newest last kept: taken at each start once the check
 * has passed and before each migration or conversion. `VACUUM INTO` makes them: a consistent snapshot taken inside
 * a read transaction, like the online backup API, but it also writes the copy with the source's encryption and key
 * (the backup API refuses an encrypted source: "backup is not supported with incompatible source and target").
 */
export class Backups {
  constructor(
    readonly dir: string,
    readonly keep = 5,
  ) {}

  /** Copies the open database into a new backup and drops the oldest beyond `keep`. */
  create(db: Db, reason: BackupReason, now = Date.now()): BackupFile {
    ensurePrivateDir(this.dir);
    let file = "";
    for (let n = 0; ; n++) {
      const name = `hearth-${String(now).padStart(13, "0")}-${String(n).padStart(3, "0")}-${reason}.db`;
      file = path.join(this.dir, name);
      if (!fs.existsSync(file)) break;
    }
    // VACUUM INTO accepts an empty target, so it is created first owner-only rather than 0644 by SQLite.
    ensurePrivateFile(file);
    try {
      db.prepare("VACUUM INTO ?").run(file);
    } catch (error) {
      fs.rmSync(file, { force: true });
      throw error;
    }
    tighten(file, PRIVATE_FILE_MODE);
    this.rotate();
    return this.list().find((backup) => backup.file === file)!;
  }

  /** Backups, oldest first. */
  list(): BackupFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const backups: BackupFile[] = [];
    for (const name of names) {
      const match = namePattern.exec(name);
      if (!match) continue;
      const file = path.join(this.dir, name);
      backups.push({ name, file, createdAt: Number(match[1]), reason: match[3] as BackupReason, sizeBytes: fs.statSync(file).size });
    }
    return backups.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The newest backup that passes `quick_check` (with the key if it is encrypted), or null. */
  newestGood(key: Buffer | null): { backup: BackupFile | null; skipped: { name: string; problem: string }[] } {
    const skipped: { name: string; problem: string }[] = [];
    for (const backup of this.list().reverse()) {
      const problem = checkFile(backup.file, key);
      if (problem === null) return { backup, skipped };
      skipped.push({ name: backup.name, problem });
    }
    return { backup: null, skipped };
  }

  private rotate(): void {
    const backups = this.list();
    for (const old of backups.slice(0, Math.max(0, backups.length - this.keep))) {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(old.file + suffix, { force: true });
    }
  }
}
