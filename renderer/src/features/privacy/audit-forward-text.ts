import type { AuditForwardingStatus } from "../../api/contract.js";

const kindLabel: Record<NonNullable<AuditForwardingStatus["kind"]>, string> = { jsonl: "JSON Lines", syslog: "syslog", https: "HTTPS" };

const clock = (at: number): string => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * The audit view's forwarding line, e.g. "Forwarding to syslog audit.example:6514 — 3 pending, last error:
 * connection refused at 10:42". The error shows while it is current: until something is delivered after it.
 */
export function auditForwardText(status: AuditForwardingStatus, time: (at: number) => string = clock): string | null {
  if (!status.configured || status.kind === null) return null;
  const head = `Forwarding to ${kindLabel[status.kind]} ${status.target ?? ""}`.trimEnd();
  const details = [status.pendingCount === 0 ? "all delivered" : `${status.pendingCount} pending`];
  const failing = status.lastError !== null && status.lastErrorAt !== null && status.lastErrorAt >= (status.lastDeliveredAt ?? 0);
  if (failing) details.push(`last error: ${status.lastError} at ${time(status.lastErrorAt!)}`);
  else if (status.lastDeliveredAt !== null) details.push(`last delivered at ${time(status.lastDeliveredAt)}`);
  return `${head} — ${details.join(", ")}`;
}
