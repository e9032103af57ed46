import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppError } from "../../contract/index.js";
import type { SecretCipher } from "../secrets/secret-store.js";
import { PRIVATE_FILE_MODE, tighten } from "./private-files.js";

type KeyEnvelope = { version: 1; protection: SecretCipher["protection"]; sealed: string };

/**
 * The database key: 32 random bytes, kept only sealed by the secret cipher (the OS keychain in the desktop app) in
 * an owner-only file. It is never written in plain text, never logged, and never deleted once made: backups and
 * files moved aside after damage may still need it.
 */
export class DatabaseKey {
  private cached: Buffer | null = null;

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  exists(): boolean {
    return fs.existsSync(this.file);
  }

  /** The key, or null when none was ever made. */
  load(): Buffer | null {
    if (this.cached) return this.cached;
    if (!this.exists()) return null;
    tighten(this.file, PRIVATE_FILE_MODE);
    let key: Buffer;
    try {
      const envelope = JSON.parse(fs.readFileSync(this.file, "utf8")) as KeyEnvelope;
      if (envelope.version !== 1) throw new Error("unknown version");
      key = this.cipher.decrypt(Buffer.from(envelope.sealed, "base64"));
    } catch (error) {
      throw new AppError(
        "DATABASE_LOCKED",
        "Hearth's database is encrypted and its key could not be unlocked (the system keychain refused it or the key file is damaged). Nothing was changed.",
        { cause: error },
      );
    }
    if (key.length !== 32) throw new AppError("DATABASE_LOCKED", "Hearth's database key file is not valid. Nothing was changed.");
    this.cached = key;
    return key;
  }

  /** The existing key, or a new one sealed and written (atomically, owner-only) before it is first used. */
  loadOrCreate(): Buffer {
    const existing = this.load();
    if (existing) return existing;
    const key = randomBytes(32);
    const envelope: KeyEnvelope = { version: 1, protection: this.cipher.protection, sealed: this.cipher.encrypt(key).toString("base64") };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(envelope), { mode: PRIVATE_FILE_MODE });
    tighten(temp, PRIVATE_FILE_MODE);
    fs.renameSync(temp, this.file);
    this.cached = key;
    return key;
  }
}
