import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { safeStorageCipher } from "../../safe-storage-cipher.js";
import { fileKeyCipher } from "../secrets/secret-store.js";
import { AUDIT_KEY_FILE, AuditKey } from "./audit-key.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-audit-key-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Like Electron's safeStorage: it seals strings, so arbitrary bytes would not come back whole. */
const stringKeychain = (available = true) =>
  safeStorageCipher(
    {
      isEncryptionAvailable: () => available,
      encryptString: (plain) => Buffer.from(`sealed:${plain}`, "utf8"),
      decryptString: (sealed) => sealed.toString("utf8").replace(/^sealed:/, ""),
    },
    "darwin",
  );

describe("the audit signing key", () => {
  it("comes back byte for byte through a keychain that seals strings, and is never written in the clear", () => {
    const made = new AuditKey(path.join(dir, AUDIT_KEY_FILE), stringKeychain()).loadOrCreate(1234);
    expect(made).toMatchObject({ created: true, createdAt: 1234, protection: "os-keychain" });
    const again = new AuditKey(path.join(dir, AUDIT_KEY_FILE), stringKeychain()).loadOrCreate();
    expect(again).toMatchObject({ created: false, createdAt: 1234 });
    expect(again.key!.equals(made.key!)).toBe(true);
    const file = fs.readFileSync(path.join(dir, AUDIT_KEY_FILE));
    expect(file.includes(made.key!)).toBe(false);
    expect(file.includes(made.key!.toString("hex"))).toBe(false);
    if (process.platform !== "win32") expect(fs.statSync(path.join(dir, AUDIT_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it("says why where it cannot be unsealed, and load never makes one", () => {
    new AuditKey(path.join(dir, AUDIT_KEY_FILE), stringKeychain()).loadOrCreate();
    const fileCipher = fileKeyCipher(path.join(dir, "secrets.key"));
    expect(AuditKey.inDataDir(dir, fileCipher).load()).toMatchObject({ key: null, protection: "os-keychain", reason: expect.stringMatching(/OS keychain/) });
    expect(AuditKey.inDataDir(dir, null).load()).toMatchObject({ key: null, reason: expect.stringMatching(/OS keychain/) });
    const empty = fs.mkdtempSync(path.join(dir, "empty-"));
    expect(AuditKey.inDataDir(empty, fileCipher).load()).toMatchObject({ key: null });
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it("without a keychain to seal it, makes no key at all (the log keeps its hashes only)", () => {
    const reading = AuditKey.inDataDir(dir, stringKeychain(false)).loadOrCreate();
    expect(reading).toMatchObject({ key: null, reason: expect.stringMatching(/could not seal/) });
    expect(fs.existsSync(path.join(dir, AUDIT_KEY_FILE))).toBe(false);
  });
});
