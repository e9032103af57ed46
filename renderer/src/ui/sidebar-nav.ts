import { openModels, setView } from "../state/actions.js";
import { openAudit } from "../state/audit-actions.js";
import { useHearth } from "../state/store.js";

/*
 * The sidebar's footer items are places to go, not switches: a second click stays where it is rather than dropping
 * back to the chat (the conversation list is the way back).
 */

export function goToModels(): void {
  openModels();
}

/** The whole log: from a conversation's filtered log it widens to all of it; on the whole log it stays put. */
export function goToAudit(): void {
  const { view, auditConversationId } = useHearth.getState();
  if (view === "audit" && auditConversationId === null) return;
  openAudit(null);
}

export function goToSettings(): void {
  setView("settings");
}
