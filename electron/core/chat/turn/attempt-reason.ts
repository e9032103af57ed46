import type { EscalationProposal, RouterDecisionInfo, SerializedAppError } from "../../../contract/index.js";
import type { Attempt, AttemptReasonCode, ProviderRef } from "./turn-schema.js";

/** Why an attempt answers, as the answer's badge says it (the same wording chat-service has used). */
export type AttemptReason = Attempt["reason"];

/** "Router: multi-step math; local model is 1B", or the fallback when the router gave no reasons. */
export function routerLine(decision: RouterDecisionInfo | null, fallback: string): string {
  return decision && decision.reasons.length > 0 ? `Router: ${decision.reasons.join("; ")}` : fallback;
}

const reason = (code: AttemptReasonCode, text: string): AttemptReason => ({ code, text });

export const reasons = {
  localOnly: () => reason("local-only", "Local only: nothing leaves this machine"),
  routerLocal: (decision: RouterDecisionInfo | null) => reason("router-local", routerLine(decision, "The local model is enough for this")),
  userLocal: () => reason("user-local", "You kept this answer local"),
  noProvider: (decision: RouterDecisionInfo | null) =>
    reason("no-provider", `${routerLine(decision, "Proposed for the cloud")}, but no cloud provider is set up`),
  userCloud: () => reason("user-cloud", "You asked for the cloud"),
  routerCloud: (decision: RouterDecisionInfo | null) => reason("router-cloud", routerLine(decision, "Auto mode")),
  approved: (proposal: EscalationProposal) => {
    const why = proposal.router ? routerLine(proposal.router, "You approved sending it") : "You asked for the cloud";
    const how = proposal.askedBecauseUnsure ? "approved after Hearth asked: it was not sure it hid everything" : "approved";
    return reason("approved", `${why} (${how})`);
  },
  cascade: (proposal: EscalationProposal) =>
    reason("cascade", `Sent to the cloud after a local answer: ${proposal.router?.reasons[0] ?? "the local answer looks unsure"}`),
  continued: () => reason("continue", "Continued by the local model from where the answer was cut off"),
  failover: (provider: ProviderRef | null, error: SerializedAppError | null) =>
    reason("failover", `${provider?.name ?? "The cloud provider"} failed (${error?.message ?? "The cloud provider failed."}) — answered locally`),
};

/** The note a cascade leaves when its cloud answer did not replace the local one. */
export function keptLocalNote(provider: ProviderRef | null, error: SerializedAppError | null): string {
  return error
    ? `${provider?.name ?? "The cloud provider"} failed (${error.message}) — kept the local answer`
    : "You stopped the cloud answer — kept the local answer";
}

/** The router's decision (it kept the prompt local) turned into the cascade's: cloud, for the verdict's reason. */
export function cascadeDecision(decision: RouterDecisionInfo | null, why: string | null): RouterDecisionInfo {
  const base = decision ?? { score: 0, threshold: 0, target: "local" as const, reasons: [] };
  return { ...base, target: "cloud", reasons: [why ?? "the local answer looks unsure"] };
}

export function providerOf(proposal: EscalationProposal): ProviderRef {
  return { id: proposal.providerId, name: proposal.providerName, model: proposal.model };
}
