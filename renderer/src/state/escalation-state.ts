import type { ChatEvent, EscalationProposal } from "../api/contract.js";

/** The Ask-mode proposal waiting for the user's answer, per conversation (at most one each). */
export type PendingProposals = Record<string, EscalationProposal>;

export const noPendingProposals: PendingProposals = {};

/** Sets or clears a conversation's pending proposal; an older proposal never replaces a newer one. */
export function setPendingProposal(pending: PendingProposals, conversationId: string, proposal: EscalationProposal | null): PendingProposals {
  const current = pending[conversationId];
  if (proposal === null) {
    if (!current) return pending;
    const next = { ...pending };
    delete next[conversationId];
    return next;
  }
  if (current && current.id !== proposal.id && current.createdAt > proposal.createdAt) return pending;
  return { ...pending, [conversationId]: proposal };
}

/** Clears a proposal only if it is still the pending one (a revised proposal has a new id). */
export function resolvePendingProposal(pending: PendingProposals, conversationId: string, proposalId: string): PendingProposals {
  return pending[conversationId]?.id === proposalId ? setPendingProposal(pending, conversationId, null) : pending;
}

/** Pure reducer for the escalation parts of the chat stream; other events leave the state as it is. */
export function applyEscalationEvent(pending: PendingProposals, event: ChatEvent): PendingProposals {
  switch (event.type) {
    case "escalation-proposed":
      return setPendingProposal(pending, event.conversationId, event.proposal);
    case "escalation-resolved":
      return resolvePendingProposal(pending, event.conversationId, event.proposalId);
    case "message-start":
    case "message-added":
    case "attempt-started":
    case "text-delta":
    case "reasoning-delta":
    case "message-finish":
    case "branch-changed":
      return pending;
    default:
      return event satisfies never;
  }
}
