import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SecretCipher } from "../secrets/secret-store.js";
import { PRIVATE_FILE_MODE, tighten } from "../store/private-files.js";

/** The file in the data folder holding the audit signing key, sealed. */
export const AUDIT_KEY_FILE = "audit.key";

type KeyEnvelope = { version: 1; protection: SecretCipher["protection"]; createdAt: number; sealed: string };

/** What opening the key gave: the key, whether it was made just now, or why it could not be had. */
export type AuditKeyReading =
  | { key: Buffer; created: boolean; createdAt: number; protection: SecretCipher["protection"] }
  | { key: null; reason: string; protection: SecretCipher["protection"] | null };

/**
 * The per-installation key that signs audit chain links and the head file: 32 random bytes kept only sealed by the
 * secret cipher (the OS keychain in the desktop app, the key file in browser mode), like the database key. It is
 * sealed as base64 text, so a cipher that works on strings (Electron safeStorage) gets it back byte for byte.
 */
export class AuditKey {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher | null,
  ) {}

  static inDataDir(dataDir: string, cipher: SecretCipher | null): AuditKey {
    return new AuditKey(path.join(dataDir, AUDIT_KEY_FILE), cipher);
  }

  exists(): boolean {
    return fs.existsSync(this.file);
  }

  /** How the stored key is sealed, read without unsealing it (null when there is none or it is unreadable). */
  protection(): SecretCipher["protection"] | null {
    try {
      return this.envelope().protection;
    } catch {
      return null;
    }
  }

  /** The existing key; never makes one. */
  load(): AuditKeyReading {
    if (!this.exists()) return { key: null, reason: "No audit signing key has been made in this data folder.", protection: null };
    let envelope: KeyEnvelope;
    try {
      envelope = this.envelope();
    } catch {
      return { key: null, reason: "The audit signing key file is damaged.", protection: null };
    }
    if (!this.cipher || this.cipher.protection !== envelope.protection) {
      return {
        key: null,
        reason:
          envelope.protection === "os-keychain"
            ? "The audit signing key is sealed by the OS keychain; only the desktop app can unseal it."
            : "The audit signing key is sealed by the data folder's key file, not by this keychain.",
        protection: envelope.protection,
      };
    }
    try {
      const key = Buffer.from(this.cipher.decrypt(Buffer.from(envelope.sealed, "base64")).toString("utf8"), "base64");
      if (key.length !== 32) throw new Error("wrong length");
      return { key, created: false, createdAt: envelope.createdAt, protection: envelope.protection };
    } catch {
      return { key: null, reason: "The audit signing key could not be unsealed (the keychain refused it or the file is damaged).", protection: envelope.protection };
    }
  }

  /** The existing key, or a new one sealed and written (atomically, owner-only) before it is first used. */
  loadOrCreate(now: number = Date.now()): AuditKeyReading {
    if (this.exists() || !this.cipher) return this.load();
    const key = randomBytes(32);
    let sealed: string;
    try {
      sealed = this.cipher.encrypt(Buffer.from(key.toString("base64"), "utf8")).toString("base64");
    } catch {
      // Never kept unsealed: without the keychain the log runs on hashes alone, and verification says so.
      return { key: null, reason: "The system keychain could not seal an audit signing key.", protection: this.cipher.protection };
    }
    const envelope: KeyEnvelope = { version: 1, protection: this.cipher.protection, createdAt: now, sealed };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(envelope), { mode: PRIVATE_FILE_MODE });
    tighten(temp, PRIVATE_FILE_MODE);
    fs.renameSync(temp, this.file);
    return { key, created: true, createdAt: now, protection: this.cipher.protection };
  }

  private envelope(): KeyEnvelope {
    const envelope = JSON.parse(fs.readFileSync(this.file, "utf8")) as KeyEnvelope;
    if (envelope.version !== 1 || typeof envelope.sealed !== "string") throw new Error("unknown key file");
    return envelope;
  }
}
