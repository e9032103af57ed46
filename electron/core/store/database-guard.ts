import fs from "node:fs";
import path from "node:path";
import { AppError, type DatabaseState } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import type { SecretCipher } from "../secrets/secret-store.js";
import { Backups } from "./backups.js";
import { DatabaseKey } from "./database-key.js";
import { openDatabase, type Db } from "./database.js";
import { createDbHandle, type DbHandle } from "./db-handle.js";
import { writeConvertedCopy, rekeyFile } from "./encryption.js";
import { checkFile, fileKind } from "./integrity.js";
import { ensurePrivateDir, PRIVATE_FILE_MODE, tighten } from "./private-files.js";

export type DatabaseGuardOptions = {
  dataDir: string;
  /** Seals the database key: the OS keychain in the desktop app, a key file in browser mode. */
  cipher: SecretCipher;
  /** The organisation policy's `requireDatabaseEncryption`, read when it matters. */
  requireEncryption: () => boolean;
  keepBackups?: number;
  logger?: Logger;
};

type RecoveryRecord = { version: 1; reason: string; movedTo: string[]; detectedAt: number };

const sidecars = ["-wal", "-shm", "-journal"] as const;
/** Files of the data folder that hold secrets or conversations: owner-only whatever an older version left. */
const privateNames = ["hearth.db", "hearth.db-wal", "hearth.db-shm", "hearth.db-journal", "secrets.json", "secrets.key", "database.key", "recovery.json"];

/**
 * Owns the database file: checks it at start, keeps rolling backups, moves a damaged file aside (never deleting or
 * overwriting it) and runs on an empty in-memory database in a "recovery" state until the user restores the newest
 * good backup or starts fresh, and converts it to or from encryption. `db` stays the same object throughout.
 */
export class DatabaseGuard {
  readonly file: string;
  readonly backups: Backups;
  private readonly key: DatabaseKey;
  private readonly handle: DbHandle;
  private readonly markerFile: string;
  private readonly damagedDir: string;
  private recovery: RecoveryRecord | null = null;
  /** The key the open file is encrypted with; null for plaintext (and for the in-memory recovery database). */
  private liveKey: Buffer | null = null;
  private restoredFrom: string | null = null;

  constructor(private readonly options: DatabaseGuardOptions) {
    this.file = path.join(options.dataDir, "hearth.db");
    this.markerFile = path.join(options.dataDir, "recovery.json");
    this.damagedDir = path.join(options.dataDir, "damaged");
    this.backups = new Backups(path.join(options.dataDir, "backups"), options.keepBackups ?? 5);
    this.key = new DatabaseKey(path.join(options.dataDir, "database.key"), options.cipher);
    this.tightenPermissions();
    this.handle = createDbHandle(this.openAtStart());
  }

  /** The connection every store uses; it follows restores and conversions. */
  get db(): Db {
    return this.handle.db;
  }

  /** Whether the app runs on the empty stand-in database until the user restores a backup or starts fresh. */
  get inRecovery(): boolean {
    return this.recovery !== null;
  }

  state(): DatabaseState {
    const good = this.recovery ? this.backups.newestGood(this.keyIfUnsealed()).backup : null;
    return {
      status: this.recovery ? "recovery" : "ok",
      damage: this.recovery
        ? { reason: this.recovery.reason, movedTo: this.recovery.movedTo, detectedAt: this.recovery.detectedAt }
        : null,
      newestGoodBackup: good ? { id: good.name, createdAt: good.createdAt, sizeBytes: good.sizeBytes } : null,
      backupCount: this.backups.list().length,
      restoredFrom: this.restoredFrom,
      encrypted: this.liveKey !== null,
      encryptionRequired: this.options.requireEncryption(),
      keyProtection: this.options.cipher.protection,
    };
  }

  /** Replaces the empty recovery database with the newest backup that passes quick_check. */
  restoreNewestBackup(): DatabaseState {
    this.requireRecovery();
    const key = this.keyIfAny();
    const { backup, skipped } = this.backups.newestGood(key);
    for (const bad of skipped) this.options.logger?.warn("backup failed its check", { backup: bad.name, problem: bad.problem });
    if (!backup) {
      throw new AppError("DATABASE_STATE", "There is no good backup to restore. You can start with a fresh database; the damaged file stays where it was moved.");
    }
    if (fs.existsSync(this.file)) throw new AppError("DATABASE_STATE", "A database file appeared where the damaged one was; restart Hearth.");
    const temp = `${this.file}.restore`;
    fs.rmSync(temp, { force: true });
    fs.copyFileSync(backup.file, temp, fs.constants.COPYFILE_EXCL);
    tighten(temp, PRIVATE_FILE_MODE);
    // Checked again as copied: the file used is the file checked.
    const problem = checkFile(temp, key);
    if (problem) {
      fs.rmSync(temp, { force: true });
      throw new AppError("DATABASE_STATE", `The backup ${backup.name} failed its check as it was copied (${problem}). Nothing was changed.`);
    }
    fs.renameSync(temp, this.file);
    this.leaveRecovery(this.openExisting("restore"));
    this.restoredFrom = backup.name;
    this.options.logger?.warn("database restored from backup", { backup: backup.name });
    return this.state();
  }

  /** Leaves recovery with a new empty database; the damaged file stays where it was moved. */
  startFresh(): DatabaseState {
    this.requireRecovery();
    if (fs.existsSync(this.file)) throw new AppError("DATABASE_STATE", "A database file appeared where the damaged one was; restart Hearth.");
    this.leaveRecovery(this.openNew());
    this.options.logger?.warn("started with a fresh database after damage");
    return this.state();
  }

  /** Encrypts (or decrypts) the database: a checked copy is swapped in atomically, after a backup. */
  setEncryption(enabled: boolean): DatabaseState {
    if (this.recovery) {
      throw new AppError("DATABASE_STATE", "Restore a backup or start fresh first; the database is in recovery.");
    }
    if (!enabled && this.options.requireEncryption()) {
      throw new AppError("POLICY_LOCKED", "Your organisation's policy requires the database to stay encrypted.");
    }
    if (enabled === (this.liveKey !== null)) return this.state();
    this.convert(enabled ? this.key.loadOrCreate() : null);
    return this.state();
  }

  close(): void {
    const db = this.handle.current();
    if (db.open) db.close();
  }

  // --- start

  private openAtStart(): Db {
    // Half-made copies of a conversion or restore that a crash interrupted: the database file itself was never
    // touched, and a half-converted copy may still hold plaintext.
    for (const stale of [".convert", ".convert-journal", ".restore"]) fs.rmSync(`${this.file}${stale}`, { force: true });
    if (fs.existsSync(this.markerFile)) {
      if (!fs.existsSync(this.file)) {
        this.recovery = JSON.parse(fs.readFileSync(this.markerFile, "utf8")) as RecoveryRecord;
        return openDatabase(":memory:");
      }
      // A restore or fresh start put its file in place but stopped before clearing the marker.
      fs.rmSync(this.markerFile, { force: true });
    }
    const kind = fileKind(this.file);
    if (kind === "missing") return this.openNew();
    let problem: string | null;
    if (kind === "empty") problem = "the file is empty (0 bytes)";
    else if (kind === "other" && !this.key.exists()) problem = "the file is not a SQLite database";
    else problem = checkFile(this.file, kind === "other" ? this.key.load() : null);
    if (problem) {
      this.moveAside(problem);
      return openDatabase(":memory:");
    }
    return this.openExisting("start");
  }

  /** Opens the checked file, backs it up (before migrating, or as the start backup), and encrypts it if required. */
  private openExisting(reason: "start" | "restore"): Db {
    const key = fileKind(this.file) === "other" ? this.key.load() : null;
    let backedUp = false;
    const db = openDatabase(this.file, {
      key,
      beforeMigrate: (live) => {
        // A migration never runs without a copy of what it changes.
        this.backups.create(live, "migration");
        backedUp = true;
      },
    });
    this.liveKey = key;
    if (!backedUp) {
      try {
        this.backups.create(db, reason);
      } catch (error) {
        this.options.logger?.warn("could not back up the database at start", { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (!key && this.options.requireEncryption()) return this.convertOpen(db, this.key.loadOrCreate());
    return db;
  }

  private openNew(): Db {
    const key = this.options.requireEncryption() ? this.key.loadOrCreate() : null;
    const db = openDatabase(this.file, { key });
    this.liveKey = key;
    return db;
  }

  private moveAside(reason: string): void {
    ensurePrivateDir(this.damagedDir);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const movedTo: string[] = [];
    for (const suffix of ["", ...sidecars]) {
      const from = `${this.file}${suffix}`;
      if (!fs.existsSync(from)) continue;
      const to = path.join(this.damagedDir, `hearth-${stamp}.db${suffix}`);
      // rename never replaces here: the stamp is new, and a clash fails rather than overwrites.
      if (fs.existsSync(to)) throw new Error(`${to} already exists`);
      fs.renameSync(from, to);
      movedTo.push(to);
    }
    this.recovery = { version: 1, reason, movedTo, detectedAt: Date.now() };
    const temp = `${this.markerFile}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.recovery), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(temp, this.markerFile);
    this.options.logger?.error("the database is damaged; moved aside, waiting for the user to restore or start fresh", { reason, movedTo });
  }

  private leaveRecovery(next: Db): void {
    this.handle.swap(next).close();
    this.recovery = null;
    fs.rmSync(this.markerFile, { force: true });
  }

  private requireRecovery(): void {
    if (!this.recovery) throw new AppError("DATABASE_STATE", "The database is not damaged; there is nothing to restore.");
  }

  private keyIfAny(): Buffer | null {
    return this.key.exists() ? this.key.load() : null;
  }

  /** For showing the state: a key the keychain refuses only means encrypted backups do not count as good. */
  private keyIfUnsealed(): Buffer | null {
    try {
      return this.keyIfAny();
    } catch {
      return null;
    }
  }

  // --- encryption

  private convert(toKey: Buffer | null): void {
    const next = this.convertOpen(this.handle.current(), toKey);
    this.handle.swap(next);
  }

  /** Converts the open database `live` (closing it) and returns the converted one, open; backups follow it. */
  private convertOpen(live: Db, toKey: Buffer | null): Db {
    const fromKey = this.liveKey;
    this.backups.create(live, "encryption");
    const temp = `${this.file}.convert`;
    writeConvertedCopy(live, fromKey, toKey, temp);
    live.close();
    // The copy holds everything the WAL held; what is left of the old file's sidecars must not meet the new file.
    for (const suffix of sidecars) fs.rmSync(`${this.file}${suffix}`, { force: true });
    fs.renameSync(temp, this.file);
    const db = openDatabase(this.file, { key: toKey });
    this.liveKey = toKey;
    this.convertBackups(fromKey, toKey);
    this.options.logger?.info(toKey ? "database encrypted" : "database decrypted");
    return db;
  }

  /** Backups follow the database: a plaintext copy must not outlive encryption being turned on. */
  private convertBackups(fromKey: Buffer | null, toKey: Buffer | null): void {
    for (const backup of this.backups.list()) {
      const encrypted = fileKind(backup.file) === "other";
      if (encrypted === (toKey !== null)) continue;
      try {
        rekeyFile(backup.file, encrypted ? (fromKey ?? this.keyIfAny()) : null, toKey);
      } catch (error) {
        // A backup that cannot be converted would keep the old form on disk; a backup is a copy, so it goes.
        this.options.logger?.warn("removed a backup that could not be converted", { backup: backup.name, error: error instanceof Error ? error.message : String(error) });
        for (const suffix of ["", ...sidecars]) fs.rmSync(`${backup.file}${suffix}`, { force: true });
      }
    }
  }

  private tightenPermissions(): void {
    ensurePrivateDir(this.options.dataDir);
    for (const name of privateNames) tighten(path.join(this.options.dataDir, name), PRIVATE_FILE_MODE);
    for (const dir of [this.backups.dir, this.damagedDir]) {
      if (!fs.existsSync(dir)) continue;
      ensurePrivateDir(dir);
      for (const name of fs.readdirSync(dir)) tighten(path.join(dir, name), PRIVATE_FILE_MODE);
    }
  }
}
