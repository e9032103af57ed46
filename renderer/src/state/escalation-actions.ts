import type { AppError, EscalationProposal, PayloadMessage } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { setPendingProposal } from "./escalation-state.js";
import { reportError, toAppError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

export function showProposal(conversationId: string, proposal: EscalationProposal | null): void {
  set((s) => ({ pendingProposals: setPendingProposal(s.pendingProposals, conversationId, proposal) }));
}

/** After a reload or on opening a chat: the proposal still waiting for an answer, if any. */
export async function loadPendingEscalation(conversationId: string): Promise<void> {
  const { proposal } = await getApi().getPendingEscalation({ conversationId });
  showProposal(conversationId, proposal);
}

/** Edit: the core redacts the edited text again, so the panel always shows exactly what would go. */
export async function reviseEscalation(
  conversationId: string,
  proposalId: string,
  payload: PayloadMessage[],
): Promise<AppError | null> {
  try {
    const revised = await getApi().reviseEscalation({ conversationId, proposalId, payload });
    // The revised proposal has a new id: replace whatever is shown, even if an event got here first.
    set((s) => ({ pendingProposals: { ...s.pendingProposals, [conversationId]: revised } }));
    return null;
  } catch (error) {
    return toAppError(error);
  }
}

/** Send the payload as shown, or Keep local (nothing leaves; the local model answers). */
export async function resolveEscalation(conversationId: string, proposalId: string, action: "send" | "keep-local"): Promise<boolean> {
  try {
    await getApi().resolveEscalation({ conversationId, proposalId, action });
    set((s) => {
      const current = s.pendingProposals[conversationId];
      return current?.id === proposalId ? { pendingProposals: setPendingProposal(s.pendingProposals, conversationId, null) } : s;
    });
    return true;
  } catch (error) {
    reportError(error);
    // The proposal may have been resolved elsewhere (another window): show what the core has now.
    loadPendingEscalation(conversationId).catch(() => {});
    return false;
  }
}
