/** What the audit view's Verify button reports (the verifyAudit result). */
export type AuditVerifyReport = {
  ok: boolean;
  entries: number;
  links: number;
  firstBroken: { seq: number; entryId: string | null; reason: string } | null;
};

export function auditVerifyText(report: AuditVerifyReport): string {
  if (report.ok) return `Intact: ${report.entries} ${report.entries === 1 ? "entry" : "entries"}`;
  const broken = report.firstBroken;
  if (!broken) return "Not intact.";
  return `Broken at link ${broken.seq}${broken.entryId ? ` (entry ${broken.entryId})` : ""}: ${broken.reason}`;
}
