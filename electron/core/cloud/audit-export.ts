import type { AuditEntry } from "../../contract/index.js";

/** Columns of the CSV export, in order: a header and how to read each cell from an entry. */
const columns: ReadonlyArray<readonly [string, (entry: AuditEntry) => string | number | null]> = [
  ["id", (e) => e.id],
  ["time", (e) => new Date(e.time).toISOString()],
  ["conversation_id", (e) => e.conversationId],
  ["conversation_title", (e) => e.conversationTitle],
  ["purpose", (e) => e.purpose],
  ["provider", (e) => e.providerName],
  ["provider_kind", (e) => e.providerKind],
  ["model", (e) => e.model],
  ["host", (e) => e.host],
  ["bytes_sent", (e) => e.bytesSent],
  ["bytes_received", (e) => e.bytesReceived],
  ["tokens_in", (e) => e.tokensIn],
  ["tokens_out", (e) => e.tokensOut],
  ["cost_usd", (e) => e.costUsd],
  ["outcome", (e) => e.outcome],
  ["error", (e) => e.error],
  ["duration_ms", (e) => (e.durationMs === null ? null : Math.round(e.durationMs))],
  // Why it was held for approval and the decision (JSON); empty when it was not held.
  ["review", (e) => (e.review ? JSON.stringify(e.review) : null)],
  ["payload", (e) => e.payload],
];

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return that some spreadsheets skip before one) gets a leading apostrophe: payloads are chat text that
 * anyone could have typed, and opening the export must not execute it.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditToCsv(entries: readonly AuditEntry[]): string {
  const lines = [columns.map(([name]) => name).join(",")];
  for (const entry of entries) lines.push(columns.map(([, read]) => csvCell(read(entry))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function auditToJson(entries: readonly AuditEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}
