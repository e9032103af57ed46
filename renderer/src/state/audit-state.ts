import type { AuditEntry } from "../api/contract.js";

/** The audit log as far as the page has seen it: entries by id, newest first. Read-only, like the log itself. */
export type AuditState = {
  byId: Record<string, AuditEntry>;
  ids: string[];
  loaded: boolean;
};

export const emptyAuditState: AuditState = { byId: {}, ids: [], loaded: false };

const newestFirst = (a: AuditEntry, b: AuditEntry) => b.time - a.time;

/** Replaces the entries with what the core listed, keeping any live ones that arrived meanwhile. */
export function setAuditEntries(state: AuditState, entries: readonly AuditEntry[]): AuditState {
  const byId: Record<string, AuditEntry> = { ...state.byId };
  for (const entry of entries) byId[entry.id] = entry;
  const ids = Object.values(byId)
    .sort(newestFirst)
    .map((e) => e.id);
  return { byId, ids, loaded: true };
}

/** A live `audit-appended` event: inserted in time order, once. */
export function appendAuditEntry(state: AuditState, entry: AuditEntry): AuditState {
  const byId = { ...state.byId, [entry.id]: entry };
  if (state.ids.includes(entry.id)) return { ...state, byId };
  const index = state.ids.findIndex((id) => (state.byId[id]?.time ?? 0) < entry.time);
  const ids = index === -1 ? [...state.ids, entry.id] : [...state.ids.slice(0, index), entry.id, ...state.ids.slice(index)];
  return { ...state, byId, ids };
}

/** Entries newest first, all of them or one conversation's. */
export function auditEntriesOf(state: AuditState, conversationId: string | null): AuditEntry[] {
  const all = state.ids.map((id) => state.byId[id]).filter((e): e is AuditEntry => e !== undefined);
  return conversationId === null ? all : all.filter((e) => e.conversationId === conversationId);
}

/** How many times this conversation's text left the machine (or tried to), for its header. */
export function cloudSendCount(state: AuditState, conversationId: string): number {
  let count = 0;
  for (const id of state.ids) {
    const entry = state.byId[id];
    if (entry?.conversationId === conversationId && entry.purpose === "chat") count += 1;
  }
  return count;
}
