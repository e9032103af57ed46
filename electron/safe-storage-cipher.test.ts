import { describe, expect, it } from "vitest";
import { safeStorageCipher } from "./safe-storage-cipher.js";

const fake = (available: boolean, backend = "gnome_libsecret") => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].reverse()),
  decryptString: (sealed: Buffer) => Buffer.from([...sealed].reverse()).toString(),
  getSelectedStorageBackend: () => backend,
});

describe("safeStorageCipher", () => {
  it("seals through the OS keychain and opens again", () => {
    const cipher = safeStorageCipher(fake(true), "linux");
    const sealed = cipher.encrypt(Buffer.from("sk-secret"));
    expect(sealed.toString()).not.toContain("sk-secret");
    expect(cipher.decrypt(sealed).toString()).toBe("sk-secret");
    expect(cipher.protection).toBe("os-keychain");
    expect(cipher.warning).toBeNull();
  });

  it("round-trips arbitrary bytes (a random database key) through the string-only keychain", () => {
    const cipher = safeStorageCipher(fake(true), "linux");
    const key = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(cipher.decrypt(cipher.encrypt(key)).equals(key)).toBe(true);
  });

  it("opens secrets sealed as plain UTF-8 text before bytes were marked", () => {
    const legacy = fake(true).encryptString("sk-old-key");
    expect(safeStorageCipher(fake(true), "linux").decrypt(legacy).toString()).toBe("sk-old-key");
  });

  it("refuses to store a secret when the keychain is unavailable, instead of writing plaintext", () => {
    expect(() => safeStorageCipher(fake(false), "darwin").encrypt(Buffer.from("sk-secret"))).toThrow(/will not store/);
  });

  it("warns when Linux has no secret service", () => {
    expect(safeStorageCipher(fake(true, "basic_text"), "linux").warning).toMatch(/No secret service/);
  });
});
