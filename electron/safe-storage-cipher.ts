import type { SecretCipher } from "./core/secrets/secret-store.js";

type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
};

const BYTES_MARK = "hearth-b64:";

/**
 * Secrets sealed by the OS keychain through Electron's safeStorage. Refuses to store anything when encryption is
 * unavailable (never plaintext), and warns when Linux has no secret service ("basic_text" backend).
 */
export function safeStorageCipher(safeStorage: SafeStorageLike, platform = process.platform): SecretCipher {
  const backend = platform === "linux" ? safeStorage.getSelectedStorageBackend?.() : undefined;
  const weak = backend === "basic_text";
  return {
    protection: "os-keychain",
    warning: weak
      ? "No secret service (GNOME Keyring, KWallet) was found: keys are stored with a weak, hard-coded key. Install one to protect them."
      : null,
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error("The system keychain is not available, so Hearth will not store this secret.");
      }
      // safeStorage seals strings: arbitrary bytes (a database key) would not survive a UTF-8 round trip, so
      // they travel as base64 behind a marker.
      return safeStorage.encryptString(BYTES_MARK + plain.toString("base64"));
    },
    decrypt(sealed) {
      const text = safeStorage.decryptString(sealed);
      // Secrets sealed before the marker existed were UTF-8 text (API keys): they open as before.
      return text.startsWith(BYTES_MARK) ? Buffer.from(text.slice(BYTES_MARK.length), "base64") : Buffer.from(text, "utf8");
    },
  };
}
