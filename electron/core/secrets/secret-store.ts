import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Turns secret bytes into an opaque envelope and back: the OS keychain (Electron safeStorage) or a local key. */
export type SecretCipher = {
  /** "os-keychain" where the OS protects the key; "file" where a key file beside the data does. */
  readonly protection: "os-keychain" | "file";
  /** Shown in Settings when the protection is weak (browser mode, or Linux without a secret service). */
  readonly warning: string | null;
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
};

/**
 * Version 2 seals `{ value, origin }` together, so the origin a secret is bound to cannot be changed without the key;
 * version 1 (before secrets were bound to a host) sealed the bare value, read with no origin.
 */
type Envelope = { version: 1 | 2; protection: SecretCipher["protection"]; entries: Record<string, string> };

/** A secret and the origin (scheme://host:port) it was entered for; null for one stored before secrets were bound. */
export type StoredSecret = { value: string; origin: string | null };

/**
 * Named secrets (API keys, access tokens) in one file of versioned encrypted envelopes, written 0600 and replaced
 * atomically. Values are never logged and never leave the core; callers ask only whether one is set.
 */
export class SecretStore {
  private cache: Map<string, StoredSecret> | null = null;

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  get protection(): SecretCipher["protection"] {
    return this.cipher.protection;
  }

  get warning(): string | null {
    return this.cipher.warning;
  }

  /** The bare value, whatever its origin; senders use `entry` and check the origin. */
  get(name: string): string | null {
    return this.load().get(name)?.value ?? null;
  }

  /** The value with the origin it is bound to. */
  entry(name: string): StoredSecret | null {
    return this.load().get(name) ?? null;
  }

  has(name: string): boolean {
    return this.load().has(name);
  }

  /** Stores `value` bound to `origin` (null or "" deletes it). */
  set(name: string, value: string | null, origin: string | null = null): void {
    const entries = new Map(this.load());
    if (value === null || value === "") entries.delete(name);
    else entries.set(name, { value, origin });
    this.write(entries);
  }

  /** Binds a stored secret to an origin without changing its value (secrets stored before binding existed). */
  bind(name: string, origin: string): void {
    const current = this.load().get(name);
    if (!current || current.origin === origin) return;
    const entries = new Map(this.load());
    entries.set(name, { value: current.value, origin });
    this.write(entries);
  }

  private write(entries: Map<string, StoredSecret>): void {
    const envelope: Envelope = { version: 2, protection: this.cipher.protection, entries: {} };
    for (const [key, secret] of entries) {
      envelope.entries[key] = this.cipher.encrypt(Buffer.from(JSON.stringify(secret), "utf8")).toString("base64");
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(envelope), { mode: 0o600 });
    fs.renameSync(temp, this.file);
    this.cache = entries;
  }

  private load(): Map<string, StoredSecret> {
    if (this.cache) return this.cache;
    const entries = new Map<string, StoredSecret>();
    if (fs.existsSync(this.file)) {
      const envelope = JSON.parse(fs.readFileSync(this.file, "utf8")) as Envelope;
      if (envelope.version !== 1 && envelope.version !== 2) throw new Error("The secrets file was written by a newer Hearth.");
      for (const [key, sealed] of Object.entries(envelope.entries)) {
        const plain = this.cipher.decrypt(Buffer.from(sealed, "base64")).toString("utf8");
        entries.set(key, envelope.version === 1 ? { value: plain, origin: null } : parseSealed(plain));
      }
    }
    this.cache = entries;
    return entries;
  }
}

function parseSealed(plain: string): StoredSecret {
  const parsed = JSON.parse(plain) as Partial<StoredSecret>;
  if (typeof parsed.value !== "string" || (parsed.origin !== null && typeof parsed.origin !== "string")) {
    throw new Error("The secrets file holds an entry Hearth cannot read.");
  }
  return { value: parsed.value, origin: parsed.origin };
}

/**
 * Browser mode has no OS keychain: AES-256-GCM with a random key kept in a 0600 file in the data folder. It keeps
 * secrets out of the database, backups of it and logs, but anyone who can read the data folder can read them.
 */
export function fileKeyCipher(keyFile: string): SecretCipher {
  let key: Buffer;
  if (fs.existsSync(keyFile)) {
    key = fs.readFileSync(keyFile);
    if (key.length !== 32) throw new Error(`${keyFile} is not a Hearth key file.`);
  } else {
    key = randomBytes(32);
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, key, { mode: 0o600, flag: "wx" });
  }
  return {
    protection: "file",
    warning:
      "Browser mode keeps keys and tokens encrypted in the data folder, not in the system keychain: " +
      "anyone who can read that folder can read them. The desktop app uses the keychain.",
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}
