import type { AuditEntry } from "../../api/contract.js";
import { formatBytes, formatDuration } from "../../ui/format.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** Local time, sortable and unambiguous: "2025-03-14 09:26:53". */
export function formatAuditTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "$0.0123"; tiny sums keep two significant digits, unknown prices show a dash. */
export function formatCost(usd: number | null): string {
  if (usd === null) return "—";
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "< $0.0001";
  if (usd < 1) return `$${usd.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "")}`;
  return `$${usd.toFixed(2)}`;
}

export function formatTokens(tokensIn: number | null, tokensOut: number | null): string {
  if (tokensIn === null && tokensOut === null) return "—";
  return `${tokensIn ?? "?"} in · ${tokensOut ?? "?"} out`;
}

export const purposeLabels: Record<AuditEntry["purpose"], string> = {
  chat: "Chat answer",
  "provider-test": "Connection test",
  download: "Model download",
  search: "Model search",
};

export const outcomeLabels: Record<AuditEntry["outcome"], string> = { ok: "Sent", error: "Failed", aborted: "Stopped", declined: "Not sent" };

/**
 * An entry is written before its first byte leaves, as "aborted" with no duration, and closed when the request
 * ends; one still open is in progress, and one a crash left open was marked interrupted at the next start.
 */
function outcomeLabel(entry: AuditEntry): string {
  if (entry.outcome === "aborted" && entry.durationMs === null) return entry.error === null ? "In progress" : "Interrupted";
  return outcomeLabels[entry.outcome];
}

/** One audit entry as the table shows it; every field already a string. */
export type AuditRowView = {
  id: string;
  time: string;
  conversation: string;
  purpose: string;
  provider: string;
  model: string;
  host: string;
  sent: string;
  received: string;
  tokens: string;
  cost: string;
  duration: string;
  outcome: AuditEntry["outcome"];
  outcomeLabel: string;
  error: string | null;
};

export function formatAuditRow(entry: AuditEntry): AuditRowView {
  return {
    id: entry.id,
    time: formatAuditTime(entry.time),
    conversation: entry.conversationId === null ? "—" : entry.conversationTitle || "Untitled chat",
    purpose: purposeLabels[entry.purpose],
    provider: entry.providerName,
    model: entry.model ?? "—",
    host: entry.host,
    sent: formatBytes(entry.bytesSent),
    received: formatBytes(entry.bytesReceived),
    tokens: formatTokens(entry.tokensIn, entry.tokensOut),
    cost: formatCost(entry.costUsd),
    duration: entry.durationMs === null ? "—" : formatDuration(entry.durationMs),
    outcome: entry.outcome,
    outcomeLabel: outcomeLabel(entry),
    error: entry.error,
  };
}

/** The payload as sent, indented when it is JSON; anything else is shown exactly as it is. */
export function prettyPayload(payload: string): { text: string; json: boolean } {
  const trimmed = payload.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
    } catch {
      // Not JSON after all (a cut-off body, a form): show it raw.
    }
  }
  return { text: payload, json: false };
}

/** `costUsd` is null when no entry had a price to estimate from. */
export type AuditTotals = { count: number; bytesSent: number; bytesReceived: number; costUsd: number | null; failed: number };

export function auditTotals(entries: readonly AuditEntry[]): AuditTotals {
  const totals: AuditTotals = { count: 0, bytesSent: 0, bytesReceived: 0, costUsd: null, failed: 0 };
  for (const e of entries) {
    totals.count += 1;
    totals.bytesSent += e.bytesSent;
    totals.bytesReceived += e.bytesReceived;
    if (e.costUsd !== null) totals.costUsd = (totals.costUsd ?? 0) + e.costUsd;
    // A request the user refused did not fail: nothing was attempted.
    if (e.outcome !== "ok" && e.outcome !== "declined") totals.failed += 1;
  }
  return totals;
}
