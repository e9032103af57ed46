import type { SecretCipher } from "./core/secrets/secret-store.js";

type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
};

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
      return safeStorage.encryptString(plain.toString("utf8"));
    },
    decrypt(sealed) {
      return Buffer.from(safeStorage.decryptString(sealed), "utf8");
    },
  };
}
