import type { AuditFilter, AuditSummary } from "../../contract/audit-filter.js";
import { AppError } from "../../contract/index.js";
import type { Db } from "../store/database.js";

/** Largest page the log hands out at once: the view pages on scroll, the export streams the rest. */
export const MAX_AUDIT_PAGE = 1000;
export const DEFAULT_AUDIT_PAGE = 100;

/** The WHERE clause for a filter, with named parameters (never text pasted into SQL). */
export function auditWhere(filter: AuditFilter): { sql: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.conversationId !== undefined) {
    clauses.push("conversation_id = @conversationId");
    params.conversationId = filter.conversationId;
  }
  if (filter.providerName !== undefined) {
    clauses.push("provider_name = @providerName");
    params.providerName = filter.providerName;
  }
  if (filter.outcome !== undefined) {
    clauses.push("outcome = @outcome");
    params.outcome = filter.outcome;
  }
  if (filter.from !== undefined) {
    clauses.push("time >= @from");
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    clauses.push("time <= @to");
    params.to = filter.to;
  }
  return { sql: clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`, params };
}

/**
 * Ids of one page, newest first. `before` is the last entry of the previous page: the page starts after it in the
 * (time, rowid) order, so entries sharing a millisecond are neither repeated nor skipped.
 */
export function auditPageRows(db: Db, filter: AuditFilter & { before?: string; limit?: number }): Record<string, unknown>[] {
  const limit = Math.max(1, Math.min(filter.limit ?? DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE));
  const where = auditWhere(filter);
  let sql = where.sql;
  const params: Record<string, unknown> = { ...where.params, limit };
  if (filter.before !== undefined) {
    const cursor = db.prepare(`SELECT time, rowid FROM audit_log WHERE id = ?`).get(filter.before) as
      | { time: number; rowid: number }
      | undefined;
    if (!cursor) throw new AppError("NOT_FOUND", "The audit page to continue from no longer exists; reload the audit log.");
    sql += `${sql === "" ? "WHERE" : " AND"} (time < @beforeTime OR (time = @beforeTime AND rowid < @beforeRowid))`;
    params.beforeTime = cursor.time;
    params.beforeRowid = cursor.rowid;
  }
  return db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY time DESC, rowid DESC LIMIT @limit`).all(params) as Record<string, unknown>[];
}

/** Totals over everything the filter matches; the size of the whole log and the provider names in it. */
export function auditSummary(db: Db, filter: AuditFilter): AuditSummary {
  const where = auditWhere(filter);
  const totals = db
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(bytes_sent), 0) AS bytesSent, COALESCE(SUM(bytes_received), 0) AS bytesReceived,
         SUM(cost_usd) AS costUsd, COALESCE(SUM(outcome IN ('error', 'aborted')), 0) AS failed
       FROM audit_log ${where.sql}`,
    )
    .get(where.params) as Omit<AuditSummary, "providerNames" | "logCount">;
  const logCount = db.prepare(`SELECT COUNT(*) FROM audit_log`).pluck().get() as number;
  const providerNames = db.prepare(`SELECT DISTINCT provider_name FROM audit_log ORDER BY provider_name`).pluck().all() as string[];
  return { ...totals, logCount, providerNames };
}
