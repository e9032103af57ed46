import type { AuditForwarder } from "../cloud/audit-forward/audit-forwarder.js";
import type { AuditKey, AuditKeyReading } from "../cloud/audit-key.js";
import type { AuditLog } from "../cloud/audit-log.js";
import { verifyAuditLog } from "../cloud/audit-verification.js";
import type { Handlers } from "../dispatch.js";

type AuditHandlers = Pick<Handlers, "listAudit" | "auditSummary" | "exportAudit" | "verifyAudit" | "auditForwardingStatus">;

/** The contract's audit log methods: list, export, verify (chain and signatures), forwarding status. */
export function auditHandlers(deps: {
  audit: AuditLog;
  auditKey: Pick<AuditKey, "exists">;
  /** The key as read at start; verification uses it only while the key file still exists. */
  auditKeyReading: AuditKeyReading;
  forwarder: Pick<AuditForwarder, "status">;
  dataDir: string;
}): AuditHandlers {
  const { audit, auditKey, auditKeyReading, forwarder, dataDir } = deps;
  return {
    async listAudit(query) {
      return audit.list(query);
    },

    async auditSummary(filter) {
      return audit.summary(filter);
    },

    async exportAudit({ format, ...filter }) {
      return audit.export(format, filter);
    },

    async verifyAudit() {
      return verifyAuditLog(audit.db, { dataDir, keyReading: auditKey.exists() ? auditKeyReading : null });
    },

    async auditForwardingStatus() {
      return forwarder.status();
    },
  };
}
