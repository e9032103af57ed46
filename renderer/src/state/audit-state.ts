import type { AuditEntry, AuditFilter, AuditSummary } from "../api/contract.js";

/** What the audit view narrows to besides the conversation (that one is the store's auditConversationId). */
export type AuditViewFilter = Omit<AuditFilter, "conversationId">;

/**
 * The audit log as far as the page has seen it: entries by id, newest first, loaded a page at a time. Read-only,
 * like the log itself.
 */
export type AuditState = {
  byId: Record<string, AuditEntry>;
  ids: string[];
  loaded: boolean;
  filter: AuditViewFilter;
  /** The last entry of the last page loaded: the next page starts after it. Null before the first page. */
  cursor: string | null;
  /** The last page was full: there may be older entries. */
  hasMore: boolean;
  /** Totals over the whole filtered log, from the core (a page's own totals would undercount). */
  summary: AuditSummary | null;
  /** Entries in the whole log as the core counted them (null until asked), kept up to date by live entries. */
  logCount: number | null;
  /** Entries per conversation as the core counted them, kept up to date by live entries. */
  sendCounts: Record<string, number>;
};

export const emptyAuditState: AuditState = { byId: {}, ids: [], loaded: false, filter: {}, cursor: null, hasMore: false, summary: null, logCount: null, sendCounts: {} };

const newestFirst = (a: AuditEntry, b: AuditEntry) => b.time - a.time;

/** Replaces the entries with what the core listed, keeping any live ones that arrived meanwhile. */
export function setAuditEntries(state: AuditState, entries: readonly AuditEntry[]): AuditState {
  const byId: Record<string, AuditEntry> = { ...state.byId };
  for (const entry of entries) byId[entry.id] = entry;
  const ids = Object.values(byId)
    .sort(newestFirst)
    .map((e) => e.id);
  return { ...state, byId, ids, loaded: true };
}

/** A new filter (or a new conversation) starts from an empty list; the counts stay. */
export function resetAuditEntries(state: AuditState, filter: AuditViewFilter): AuditState {
  return { ...emptyAuditState, filter, logCount: state.logCount, sendCounts: state.sendCounts };
}

/** How many entries the whole log holds (for the Audit log link), whatever the view shows. */
export const auditLogCount = (state: AuditState): number => state.logCount ?? state.ids.length;

/** One page from the core, merged in; `limit` tells whether it was the last. */
export function addAuditPage(state: AuditState, page: readonly AuditEntry[], limit: number): AuditState {
  const next = setAuditEntries(state, page);
  return { ...next, cursor: page.at(-1)?.id ?? state.cursor, hasMore: page.length === limit };
}

/** A live `audit-appended` event: inserted in time order, once. */
export function appendAuditEntry(state: AuditState, entry: AuditEntry): AuditState {
  const known = entry.id in state.byId;
  const counted = !known && entry.purpose === "chat" && entry.conversationId !== null && state.sendCounts[entry.conversationId] !== undefined;
  const logCount = !known && state.logCount !== null ? state.logCount + 1 : state.logCount;
  const sendCounts = counted ? { ...state.sendCounts, [entry.conversationId!]: state.sendCounts[entry.conversationId!]! + 1 } : state.sendCounts;
  // Older than the pages loaded so far (an old entry closing): the page that holds it brings it in its place.
  const oldest = state.cursor === null ? undefined : state.byId[state.cursor];
  if (!known && state.hasMore && oldest && entry.time < oldest.time) return { ...state, sendCounts, logCount };
  const byId = { ...state.byId, [entry.id]: entry };
  if (state.ids.includes(entry.id)) return { ...state, byId, sendCounts, logCount };
  const index = state.ids.findIndex((id) => (state.byId[id]?.time ?? 0) < entry.time);
  const ids = index === -1 ? [...state.ids, entry.id] : [...state.ids.slice(0, index), entry.id, ...state.ids.slice(index)];
  return { ...state, byId, ids, sendCounts, logCount };
}

/** The core's filter, applied to an entry (live entries arrive unfiltered). */
export function matchesAuditFilter(entry: AuditEntry, conversationId: string | null, filter: AuditViewFilter): boolean {
  if (conversationId !== null && entry.conversationId !== conversationId) return false;
  if (filter.providerName !== undefined && entry.providerName !== filter.providerName) return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (filter.from !== undefined && entry.time < filter.from) return false;
  if (filter.to !== undefined && entry.time > filter.to) return false;
  return true;
}

/** Entries newest first, all of them or one conversation's, narrowed by the view's filter. */
export function auditEntriesOf(state: AuditState, conversationId: string | null): AuditEntry[] {
  const all = state.ids.map((id) => state.byId[id]).filter((e): e is AuditEntry => e !== undefined);
  return all.filter((e) => matchesAuditFilter(e, conversationId, state.filter));
}

/** The count the core gave for a conversation. */
export function setSendCount(state: AuditState, conversationId: string, count: number): AuditState {
  return { ...state, sendCounts: { ...state.sendCounts, [conversationId]: count } };
}

/**
 * How many times this conversation's text left the machine (or tried to), for its header: the core's count where
 * it was asked, else what the loaded pages hold.
 */
export function cloudSendCount(state: AuditState, conversationId: string): number {
  const known = state.sendCounts[conversationId];
  if (known !== undefined) return known;
  let count = 0;
  for (const id of state.ids) {
    const entry = state.byId[id];
    if (entry?.conversationId === conversationId && entry.purpose === "chat") count += 1;
  }
  return count;
}
