import type { AuditEvent, AuditFilter } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { downloadTextFile } from "../ui/download-file.js";
import { addAuditPage, appendAuditEntry, resetAuditEntries, setAuditEntries, setSendCount, type AuditViewFilter } from "./audit-state.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;
const get = useHearth.getState;

/** Entries per page: the view asks for the next one when the user scrolls near the end. */
export const AUDIT_PAGE = 100;

const filterOf = (conversationId: string | null, filter: AuditViewFilter): AuditFilter =>
  conversationId === null ? { ...filter } : { ...filter, conversationId };

let loading: Promise<void> | null = null;
let generation = 0;

/** The first page and the totals for the view's conversation and filter, replacing what was loaded. */
export async function loadAudit(conversationId?: string, filter: AuditViewFilter = get().audit.filter): Promise<void> {
  const mine = ++generation;
  set((s) => ({ audit: resetAuditEntries(s.audit, filter) }));
  const query = filterOf(conversationId ?? null, filter);
  const [page, summary] = await Promise.all([getApi().listAudit({ ...query, limit: AUDIT_PAGE }), getApi().auditSummary(query)]);
  // A newer filter was chosen while this one loaded: its answer wins.
  if (mine !== generation) return;
  set((s) => ({ audit: { ...addAuditPage(s.audit, page, AUDIT_PAGE), summary, logCount: summary.logCount } }));
}

/**
 * After (re)connecting: the totals and the newest entries again. An open view keeps the pages it has loaded (the
 * user may have scrolled far down), so the newest page is merged into them rather than replacing them.
 */
export async function refreshAudit(): Promise<void> {
  const { audit, auditConversationId, view } = get();
  if (view !== "audit" || audit.cursor === null) return loadAudit(auditConversationId ?? undefined);
  const mine = generation;
  const query = filterOf(auditConversationId, audit.filter);
  const [page, summary] = await Promise.all([getApi().listAudit({ ...query, limit: AUDIT_PAGE }), getApi().auditSummary(query)]);
  if (mine === generation) set((s) => ({ audit: { ...setAuditEntries(s.audit, page), summary, logCount: summary.logCount } }));
}

/** The next page after the last one loaded; one request at a time, none once the log is exhausted. */
export function loadMoreAudit(): Promise<void> {
  const { audit, auditConversationId } = get();
  if (loading || !audit.hasMore || audit.cursor === null) return loading ?? Promise.resolve();
  const mine = generation;
  const query = { ...filterOf(auditConversationId, audit.filter), before: audit.cursor, limit: AUDIT_PAGE };
  loading = getApi()
    .listAudit(query)
    .then(
      (page) => {
        // Free before the page renders: the view asks again at once if the end is still in sight.
        loading = null;
        if (mine === generation) set((s) => ({ audit: addAuditPage(s.audit, page, AUDIT_PAGE) }));
      },
      (error: unknown) => {
        loading = null;
        reportError(error);
      },
    );
  return loading;
}

/** Narrows the view (provider, outcome, dates) and loads from the newest entry again. */
export function setAuditFilter(filter: AuditViewFilter): void {
  loadAudit(get().auditConversationId ?? undefined, filter).catch(reportError);
}

let summaryTimer: ReturnType<typeof setTimeout> | null = null;

export function handleAuditEvent(event: AuditEvent): void {
  set((s) => ({ audit: appendAuditEntry(s.audit, event.entry) }));
  // The totals are the core's; while the view is open they follow live entries, at most once a second.
  if (get().view !== "audit" || summaryTimer) return;
  summaryTimer = setTimeout(() => {
    summaryTimer = null;
    const { audit, auditConversationId } = get();
    getApi()
      .auditSummary(filterOf(auditConversationId, audit.filter))
      .then((summary) => set((s) => ({ audit: { ...s.audit, summary, logCount: summary.logCount } })))
      .catch(() => undefined);
  }, 1000);
}

/** The core's count of a conversation's audit entries, for its header. */
export async function loadSendCount(conversationId: string): Promise<void> {
  const { count } = await getApi().auditSummary({ conversationId });
  set((s) => ({ audit: setSendCount(s.audit, conversationId, count) }));
}

/** The audit log, all of it or one conversation's, unfiltered. */
export function openAudit(conversationId: string | null = null): void {
  set({ view: "audit", auditConversationId: conversationId });
  loadAudit(conversationId ?? undefined, {}).catch(reportError);
}

/** Saves what the view shows: its conversation and its filters (provider, outcome, dates), every page of it. */
export async function exportAudit(format: "json" | "csv"): Promise<void> {
  const { auditConversationId, audit } = get();
  try {
    const file = await getApi().exportAudit({ format, ...filterOf(auditConversationId, audit.filter) });
    downloadTextFile(file.fileName, file.mimeType, file.content);
  } catch (error) {
    reportError(error);
  }
}
