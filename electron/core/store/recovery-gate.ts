import { AppError, type MethodName } from "../../contract/index.js";

/**
 * What may run while the database is in recovery: reads of the empty stand-in (so the UI can draw itself), and the
 * recovery methods. Everything else would write to a database that is thrown away at restore (hub requests too: their
 * audit entries would be lost), so it is refused until the user restores a backup or starts fresh.
 */
const allowedInRecovery: ReadonlySet<MethodName> = new Set<MethodName>([
  "getAppInfo",
  "getCatalog",
  "getSettings",
  "listModels",
  "listDownloads",
  "listConversations",
  "getConversation",
  "getPendingEscalation",
  "listProviders",
  "listAudit",
  "auditSummary",
  "exportAudit",
  "stopGeneration",
  "openExternal",
  "getDatabaseState",
  "restoreDatabaseBackup",
  "startFreshDatabase",
]);

/** The refusal for `method` while in recovery, or null when it may run. */
export function recoveryRefusal(method: string, inRecovery: boolean): AppError | null {
  if (!inRecovery || allowedInRecovery.has(method as MethodName)) return null;
  return new AppError(
    "DATABASE_STATE",
    "Hearth's database was damaged and is in recovery: restore the newest backup or start fresh first. Nothing is saved until then.",
  );
}
