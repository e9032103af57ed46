import type { EscalationProposal, RouterDecisionInfo, SerializedAppError } from "../../../contract/index.js";
import { cascadeDecision, providerOf, reasons } from "./attempt-reason.js";
import { done, enter, failed, finishTurn, firstKind, interrupted, ok, refuse, startGenerating } from "./turn-build.js";
import { haltGenerating, onPart, recoverGenerating, stopGenerating } from "./turn-generation.js";
import type { ProviderRef, StateOf, TurnInput, TurnState } from "./turn-schema.js";
import type { BeginResult, TurnEffect, TurnEvent, TurnResult } from "./turn-types.js";

export type { TurnState } from "./turn-schema.js";
export type { TurnEvent, TurnEffect, TurnResult } from "./turn-types.js";

/**
 * One turn (the answer to one user message) as a pure state machine:
 *   routing → [proposing →] [awaiting-approval → confirming →] generating local|cloud → [judging →] done|failed|interrupted
 * `next` does no I/O and reads no clock: time comes in events, and what must happen (persist, route, propose,
 * generate, abort, judge, tell clients) comes back as effects for the runner. A refused event leaves the state as it was.
 */

/** The first state of a turn, or the user-facing reason it cannot start. */
export function begin(input: TurnInput, at: number): BeginResult {
  if (input.forced === "cloud" && input.mode === "local") {
    return refusal("EGRESS_BLOCKED", "This conversation is Local only: nothing leaves this machine. Switch it to Ask or Auto first.");
  }
  if (input.forced === "cloud" && input.provider === null) {
    return refusal("NO_PROVIDER", "No cloud provider is set up (or allowed) for this conversation. Add one in Settings.");
  }
  const routing: StateOf<"routing"> = { version: 1, input, router: null, attempts: [], updatedAt: at, phase: "routing" };
  const kind = firstKind(routing);
  if (input.origin === "continue") {
    if (!input.continues) return refusal("INVALID_INPUT", "There is no answer to continue.");
    // Only the local model goes on from a cut-off answer: nothing is routed or sent.
    return started(startGenerating(routing, at, { kind, target: "local", provider: null, reason: reasons.continued(), follows: input.continues.messageId }));
  }
  if (input.mode === "local") return started(startGenerating(routing, at, { kind, target: "local", provider: null, reason: reasons.localOnly(), follows: null }));
  if (input.forced === "local") return started(startGenerating(routing, at, { kind, target: "local", provider: null, reason: reasons.userLocal(), follows: null }));
  if (input.forced === "cloud") return started(propose(routing, at, "route", input.mode));
  return { ok: true, state: routing, effects: [{ type: "save", when: "now" }, { type: "route" }] };
}

export function next(state: TurnState, event: TurnEvent): TurnResult {
  switch (event.type) {
    case "routed":
      // Every event a port answers with is stale once the turn has moved on (a stop while the router ran).
      return state.phase === "routing" ? onRouted(state, event) : refuse(state, event, "stale-event");
    case "proposed":
      return state.phase === "proposing" ? onProposed(state, event.proposal, event.at) : refuse(state, event, "stale-event");
    case "propose-failed":
      return state.phase === "proposing" ? onProposeFailed(state, event.error, event.at) : refuse(state, event, "stale-event");
    case "approve":
    case "reject":
    case "edit":
      if (state.phase !== "awaiting-approval") return refuse(state, event, "invalid-event", "No proposal is waiting for an answer.");
      if (state.proposal.id !== event.proposalId) return refuse(state, event, "stale-event", "That proposal is no longer pending.");
      return onDecision(state, event);
    case "request-checked":
      if (state.phase !== "confirming" || state.proposal.id !== event.proposalId) return refuse(state, event, "stale-event");
      return onChecked(state, event);
    case "part":
      if (state.phase !== "generating" || state.attemptId !== event.attemptId) return refuse(state, event, "stale-event");
      return onPart(state, event);
    case "judged":
      if (state.phase !== "judging" || state.attemptId !== event.attemptId) return refuse(state, event, "stale-event");
      return onJudged(state, event);
    case "stop":
      return onStop(state, event);
    case "superseded":
      return state.phase === "awaiting-approval" ? onSuperseded(state, event.at) : refuse(state, event, "invalid-event");
    case "halt":
      return onHalt(state, event);
    default:
      event satisfies never;
      return refuse(state, event as TurnEvent, "invalid-event", "Unknown event.");
  }
}

function refusal(code: SerializedAppError["code"], message: string): BeginResult {
  return { ok: false, error: { code, message, retryable: false } };
}

function started(result: TurnResult): BeginResult {
  return result.ok ? result : { ok: false, error: { code: "INTERNAL", message: result.error.message, retryable: false } };
}

/** To proposing: the runner builds the redacted proposal for the conversation's provider. */
function propose(
  from: TurnState,
  at: number,
  purpose: "route" | "cascade",
  mode: TurnInput["mode"],
  cascade: { standing: string; provider: ProviderRef; router: RouterDecisionInfo } | null = null,
): TurnResult {
  const standing = cascade?.standing ?? null;
  const provider = cascade?.provider ?? from.input.provider!;
  const router = cascade?.router ?? from.router;
  const state = enter<"proposing">(from, at, { phase: "proposing", purpose, mode, standing, previous: null, edited: null });
  return ok(state, [
    { type: "save", when: "now" },
    { type: "propose", purpose, provider, router, edited: null, replacesAttemptId: standing },
  ]);
}

function onRouted(state: StateOf<"routing">, event: Extract<TurnEvent, { type: "routed" }>): TurnResult {
  const { decision, at } = event;
  const routed = { ...state, router: decision };
  const { provider } = state.input;
  const kind = firstKind(state);
  if (decision?.target !== "cloud") {
    // Cascade: only a local answer the router chose, with a cloud to offer, pays for token confidences.
    const judge = decision !== null && provider !== null;
    return startGenerating(routed, at, { kind, target: "local", provider: null, reason: reasons.routerLocal(decision), follows: null }, { judge });
  }
  if (!provider) return startGenerating(routed, at, { kind, target: "local", provider: null, reason: reasons.noProvider(decision), follows: null });
  return propose(routed, at, "route", state.input.mode);
}

function awaitApproval(from: TurnState, at: number, proposal: EscalationProposal, standing: string | null, notices: TurnEffect[] = []): TurnResult {
  const state = enter<"awaiting-approval">(from, at, { phase: "awaiting-approval", proposal, standing });
  return ok(state, [{ type: "save", when: "now" }, ...notices, { type: "emit", notice: { type: "approval-requested", proposal, standing } }]);
}

function onProposed(state: StateOf<"proposing">, made: EscalationProposal, at: number): TurnResult {
  if (state.purpose === "revise") {
    // Still the answer to Auto's question: a send after an edit is recorded as approved after asking.
    const proposal = state.previous?.askedBecauseUnsure ? { ...made, askedBecauseUnsure: true } : made;
    return awaitApproval(state, at, proposal, state.standing);
  }
  // Auto asks, for this message only, when the redactor is not sure it hid everything; the mode stays Auto.
  const unsure = state.mode === "auto" && (made.doubts?.length ?? 0) > 0 && state.input.askWhenUnsure;
  const proposal = unsure ? { ...made, askedBecauseUnsure: true } : made;
  if (state.mode !== "auto" || unsure) return awaitApproval(state, at, proposal, state.standing);
  const provider = providerOf(proposal);
  if (state.purpose === "cascade") {
    const spec = { kind: "cascade" as const, target: "cloud" as const, provider, reason: reasons.cascade(proposal), follows: state.standing };
    return startGenerating(state, at, spec, { fallback: state.standing, proposal });
  }
  const reason = state.input.forced === "cloud" ? reasons.userCloud() : reasons.routerCloud(state.router);
  return startGenerating(state, at, { kind: firstKind(state), target: "cloud", provider, reason, follows: null }, { proposal });
}

function onProposeFailed(state: StateOf<"proposing">, error: SerializedAppError, at: number): TurnResult {
  switch (state.purpose) {
    case "route":
      return finishTurn(failed(state, at, null, error), null);
    case "cascade":
      // The local answer is complete and stands; the cascade is only ever an offer.
      return finishTurn(done(state, at, state.standing!, null), null);
    case "revise":
      return awaitApproval(state, at, state.previous!, state.standing, [
        { type: "emit", notice: { type: "approval-refused", proposalId: state.previous!.id, error } },
      ]);
  }
}

function onDecision(state: StateOf<"awaiting-approval">, event: Extract<TurnEvent, { type: "approve" | "reject" | "edit" }>): TurnResult {
  const { proposal, standing } = state;
  const { at } = event;
  if (event.type === "approve") {
    const confirming = enter<"confirming">(state, at, { phase: "confirming", proposal, standing });
    return ok(confirming, [{ type: "save", when: "now" }, { type: "check-request", proposal }]);
  }
  if (event.type === "edit") {
    const revising = enter<"proposing">(state, at, { phase: "proposing", purpose: "revise", mode: state.input.mode, standing, previous: proposal, edited: event.payload });
    return ok(revising, [
      { type: "save", when: "now" },
      { type: "propose", purpose: "revise", provider: providerOf(proposal), router: proposal.router, edited: event.payload, replacesAttemptId: standing },
    ]);
  }
  const resolved: TurnEffect = { type: "emit", notice: { type: "approval-resolved", proposalId: proposal.id } };
  // Cascade: the local answer is already there and stays as it is.
  if (standing) return finishTurn(done(state, at, standing, null), null, [resolved]);
  const spec = { kind: firstKind(state), target: "local" as const, provider: null, reason: reasons.userLocal(), follows: null };
  return startGenerating(state, at, spec, {}, [resolved]);
}

function onChecked(state: StateOf<"confirming">, event: Extract<TurnEvent, { type: "request-checked" }>): TurnResult {
  const { proposal, standing } = state;
  const { outcome, at } = event;
  if (outcome.kind === "refused") {
    return awaitApproval(state, at, proposal, standing, [{ type: "emit", notice: { type: "approval-refused", proposalId: proposal.id, error: outcome.error } }]);
  }
  if (outcome.kind === "renewed") {
    const error: SerializedAppError = {
      code: "EGRESS_BLOCKED",
      message: `What would be sent to ${outcome.proposal.providerName} changed since you reviewed it (a setting or the provider changed). Nothing was sent: review the updated preview and send again.`,
      retryable: false,
    };
    return awaitApproval(state, at, outcome.proposal, standing, [
      { type: "emit", notice: { type: "approval-resolved", proposalId: proposal.id } },
      { type: "emit", notice: { type: "approval-refused", proposalId: proposal.id, error } },
    ]);
  }
  const resolved: TurnEffect = { type: "emit", notice: { type: "approval-resolved", proposalId: proposal.id } };
  const kind = standing ? ("cascade" as const) : firstKind(state);
  const spec = { kind, target: "cloud" as const, provider: providerOf(proposal), reason: reasons.approved(proposal), follows: standing };
  return startGenerating(state, at, spec, { fallback: standing, proposal }, [resolved]);
}

function onJudged(state: StateOf<"judging">, event: Extract<TurnEvent, { type: "judged" }>): TurnResult {
  const { verdict, cloud, at } = event;
  // The mode or the provider may have changed while the local model answered.
  if (!verdict.escalate || cloud.mode === "local" || cloud.provider === null) return finishTurn(done(state, at, state.attemptId, null), null);
  // The cascade's decision carries the verdict; the turn's own decision stays as the router made it.
  const router = cascadeDecision(state.router, verdict.reason);
  return propose(state, at, "cascade", cloud.mode, { standing: state.attemptId, provider: cloud.provider, router });
}

function onStop(state: TurnState, event: Extract<TurnEvent, { type: "stop" }>): TurnResult {
  const { at } = event;
  switch (state.phase) {
    case "routing":
      return finishTurn(interrupted(state, at, null, "stopped"), null);
    case "proposing":
      if (state.purpose === "cascade") return finishTurn(done(state, at, state.standing!, null), null);
      if (state.purpose === "revise") return awaitApproval(state, at, state.previous!, state.standing);
      return finishTurn(interrupted(state, at, null, "stopped"), null);
    case "confirming":
      return awaitApproval(state, at, state.proposal, state.standing);
    case "generating":
      return stopGenerating(state, at, {}, [{ type: "abort", attemptId: state.attemptId }]);
    case "judging":
      return finishTurn(done(state, at, state.attemptId, null), null);
    case "awaiting-approval":
      return refuse(state, event, "invalid-event", "Nothing is being generated: keep the answer local or send it.");
    case "done":
    case "failed":
    case "interrupted":
      return refuse(state, event, "invalid-event", "The turn is over.");
  }
}

function onSuperseded(state: StateOf<"awaiting-approval">, at: number): TurnResult {
  // A cascade proposal is about an answer the conversation has moved past; the answer itself stands.
  const resolved: TurnEffect = { type: "emit", notice: { type: "approval-resolved", proposalId: state.proposal.id } };
  if (state.standing) return finishTurn(done(state, at, state.standing, null), null, [resolved]);
  return finishTurn(interrupted(state, at, null, "superseded"), null, [resolved]);
}

function onHalt(state: TurnState, event: Extract<TurnEvent, { type: "halt" }>): TurnResult {
  const { at, error } = event;
  switch (state.phase) {
    case "generating":
      return haltGenerating(state, at, error);
    case "done":
    case "failed":
    case "interrupted":
      return refuse(state, event, "invalid-event", "The turn is over.");
    case "judging":
      return finishTurn(failed(state, at, state.attemptId, error), null);
    case "proposing":
    case "awaiting-approval":
    case "confirming":
      return finishTurn(failed(state, at, state.standing, error), null);
    case "routing":
      return finishTurn(failed(state, at, null, error), null);
  }
}

/**
 * What a persisted state means after the app was killed in it. Nothing starts by itself after a crash: no
 * generation resumes and nothing is sent; a waiting proposal still waits.
 */
export function recover(state: TurnState, at: number): TurnResult {
  switch (state.phase) {
    case "routing":
      return finishTurn(interrupted(state, at, null, "crash"), null);
    case "proposing":
      if (state.purpose === "cascade") return finishTurn(done(state, at, state.standing!, null), null);
      if (state.purpose === "revise") return awaitApproval(state, at, state.previous!, state.standing);
      return finishTurn(interrupted(state, at, null, "crash"), null);
    case "awaiting-approval":
      return ok(state, []);
    case "confirming":
      // The send starts only after the check, so nothing left the machine.
      return awaitApproval(state, at, state.proposal, state.standing);
    case "generating":
      return recoverGenerating(state, at);
    case "judging":
      return finishTurn(done(state, at, state.attemptId, null), null);
    case "done":
    case "failed":
    case "interrupted":
      return ok(state, []);
  }
}
