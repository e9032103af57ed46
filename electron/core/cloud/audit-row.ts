import type { AuditEntry, AuditReview } from "../../contract/index.js";
import { auditReviewSchema } from "../../contract/index.js";

/** An audit_log row as stored, its payload already rebuilt whole (audit-payloads.ts). */
export type Row = {
  id: string;
  time: number;
  conversation_id: string | null;
  conversation_title: string | null;
  purpose: AuditEntry["purpose"];
  provider_name: string;
  provider_kind: string;
  model: string | null;
  host: string;
  payload: string;
  bytes_sent: number;
  bytes_received: number;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
  outcome: AuditEntry["outcome"];
  error: string | null;
  duration_ms: number | null;
  /** JSON of AuditReview; NULL when the request was not held (and in databases from before the column). */
  review?: string | null;
  /** "organisation" / "cloud"; NULL for hub traffic and rows from before the column. */
  destination?: string | null;
};

/** The review column's JSON, read back; a value that does not parse as one is left out rather than shown wrong. */
export function reviewOf(text: unknown): AuditReview | null {
  if (typeof text !== "string" || text === "") return null;
  try {
    const parsed = auditReviewSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const toEntry = (row: Row): AuditEntry => withReview(row, {
  id: row.id,
  time: row.time,
  conversationId: row.conversation_id,
  conversationTitle: row.conversation_title,
  purpose: row.purpose,
  providerName: row.provider_name,
  providerKind: row.provider_kind,
  model: row.model,
  host: row.host,
  payload: row.payload,
  bytesSent: row.bytes_sent,
  bytesReceived: row.bytes_received,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  costUsd: row.cost_usd,
  outcome: row.outcome,
  error: row.error,
  durationMs: row.duration_ms,
});

function withReview(row: Row, entry: AuditEntry): AuditEntry {
  const review = reviewOf(row.review);
  const destination = destinationOf(row.destination);
  return { ...entry, ...(review ? { review } : {}), ...(destination ? { destination } : {}) };
}

/** The destination column read back; anything but the two words is left out rather than shown wrong. */
export function destinationOf(value: unknown): AuditEntry["destination"] {
  return value === "organisation" || value === "cloud" ? value : undefined;
}

