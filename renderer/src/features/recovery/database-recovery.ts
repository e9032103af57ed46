import type { DatabaseState } from "../../api/contract.js";

/** What the recovery dialog says, from the core's state; pure so it is tested without a page. */
export type RecoveryText = {
  title: string;
  detail: string;
  movedTo: string[];
  /** The restore button's label, or null when no backup passed its check. */
  restoreLabel: string | null;
  freshLabel: string;
};

export function recoveryText(state: DatabaseState, formatTime: (ms: number) => string): RecoveryText | null {
  if (state.status !== "recovery" || !state.damage) return null;
  const backup = state.newestGoodBackup;
  return {
    title: "Hearth's database is damaged",
    detail:
      `It could not be opened safely (${state.damage.reason}). Nothing was deleted: the damaged file was moved aside. ` +
      (backup
        ? `The newest good backup is from ${formatTime(backup.createdAt)}; restoring it brings back your conversations, providers and audit log as they were then.`
        : "No backup passed its check, so Hearth can only start with an empty database."),
    movedTo: state.damage.movedTo,
    restoreLabel: backup ? `Restore the backup from ${formatTime(backup.createdAt)}` : null,
    freshLabel: backup ? "Start fresh instead" : "Start with an empty database",
  };
}

/** One line for Settings about encryption at rest. */
export function encryptionSummary(state: DatabaseState): string {
  const sealedBy =
    state.keyProtection === "os-keychain"
      ? "its key is sealed by the system keychain"
      : "its key is sealed by a key file in the data folder (browser mode has no keychain), so this protects copies of the database and its backups, not the data folder as a whole";
  if (state.encrypted) {
    return `Conversations, providers and the audit log are encrypted on disk, backups included; ${sealedBy}.` +
      (state.encryptionRequired ? " Your organisation's policy requires it." : "");
  }
  return "The database is stored unencrypted; only your user account can read it.";
}
