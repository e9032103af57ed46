/** What the audit view's Verify button reports (the verifyAudit result). */
export type AuditVerifyReport = {
  ok: boolean;
  entries: number;
  links: number;
  firstBroken: { seq: number; entryId: string | null; reason: string } | null;
  /** Whether each link's signature and the signed head file could be checked (the key unsealed). */
  signatures: "checked" | "unchecked" | "not-set-up";
  note: string | null;
};

export function auditVerifyText(report: AuditVerifyReport): string {
  const limit = report.signatures === "checked" || !report.note ? "" : ` (${report.note})`;
  if (report.ok) {
    const count = `${report.entries} ${report.entries === 1 ? "entry" : "entries"}`;
    return report.signatures === "checked" ? `Intact: ${count}, signatures and head checked` : `Intact: ${count}${limit}`;
  }
  const broken = report.firstBroken;
  if (!broken) return `Not intact.${limit}`;
  return `Broken at link ${broken.seq}${broken.entryId ? ` (entry ${broken.entryId})` : ""}: ${broken.reason}${limit}`;
}
