import type { AuditLog } from "./audit-log.js";

/**
 * Deletes a conversation and erases what was sent for it from the audit log (tombstones stay, the chain verifies).
 * Both run with secure_delete on; afterwards free pages still holding text deleted earlier without it (a sent Ask
 * proposal, the messages) are dropped by VACUUM, and the WAL is truncated, so the text is gone from the files.
 * Returns how many audit entries were erased.
 */
export function deleteAndErase(audit: AuditLog, conversationId: string, deleteConversation: () => void): number {
  const db = audit.db;
  const before = db.pragma("secure_delete", { simple: true }) as number;
  db.pragma("secure_delete = ON");
  try {
    const erased = audit.erasePayloads(conversationId);
    deleteConversation();
    try {
      if ((db.pragma("freelist_count", { simple: true }) as number) > 0) db.exec("VACUUM");
    } catch {
      // VACUUM needs room for a copy of the file; the erasure itself is done, only older free pages are left as they were.
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    return erased;
  } finally {
    db.pragma(`secure_delete = ${before}`);
  }
}
