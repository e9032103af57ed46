import type { AuditEvent } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { downloadTextFile } from "../ui/download-file.js";
import { appendAuditEntry, setAuditEntries } from "./audit-state.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

/** The newest entries; the log can be long, the view pages through what it holds. */
const AUDIT_LIMIT = 5_000;

export async function loadAudit(conversationId?: string): Promise<void> {
  const entries = await getApi().listAudit(conversationId ? { conversationId, limit: AUDIT_LIMIT } : { limit: AUDIT_LIMIT });
  set((s) => ({ audit: setAuditEntries(s.audit, entries) }));
}

export function handleAuditEvent(event: AuditEvent): void {
  set((s) => ({ audit: appendAuditEntry(s.audit, event.entry) }));
}

/** The audit log, all of it or one conversation's. */
export function openAudit(conversationId: string | null = null): void {
  set({ view: "audit", auditConversationId: conversationId });
  loadAudit(conversationId ?? undefined).catch(reportError);
}

export async function exportAudit(format: "json" | "csv", conversationId: string | null): Promise<void> {
  try {
    const file = await getApi().exportAudit(conversationId ? { format, conversationId } : { format });
    downloadTextFile(file.fileName, file.mimeType, file.content);
  } catch (error) {
    reportError(error);
  }
}
