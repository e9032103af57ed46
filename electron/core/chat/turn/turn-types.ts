import type { EscalationProposal, PayloadMessage, PrivacyMode, RouterDecisionInfo, SerializedAppError } from "../../../contract/index.js";
import type { StreamPart } from "./stream-parts.js";
import type { Attempt, ProviderRef, TurnPhase, TurnState } from "./turn-schema.js";

/** What happens to a turn. Every event carries its time (`at`, ms): the machine has no clock. */
export type TurnEvent =
  | { type: "routed"; at: number; decision: RouterDecisionInfo | null }
  | { type: "proposed"; at: number; proposal: EscalationProposal }
  | { type: "propose-failed"; at: number; error: SerializedAppError }
  | { type: "approve"; at: number; proposalId: string }
  | { type: "reject"; at: number; proposalId: string }
  | { type: "edit"; at: number; proposalId: string; payload: PayloadMessage[] }
  | { type: "request-checked"; at: number; proposalId: string; outcome: RequestCheck }
  | { type: "part"; at: number; attemptId: string; part: StreamPart }
  | { type: "judged"; at: number; attemptId: string; verdict: { escalate: boolean; reason: string | null }; cloud: CloudNow }
  | { type: "stop"; at: number }
  | { type: "superseded"; at: number }
  | { type: "halt"; at: number; error: SerializedAppError };

export type TurnEventType = TurnEvent["type"];

/** Approved send, checked again: unchanged, or the body changed (renewed, ask again), or refused outright. */
export type RequestCheck =
  | { kind: "unchanged" }
  | { kind: "renewed"; proposal: EscalationProposal }
  | { kind: "refused"; error: SerializedAppError };

/** The mode and provider as they are when the cascade judges (they may have changed while the local model answered). */
export type CloudNow = { mode: PrivacyMode; provider: ProviderRef | null };

/** What the runner must do after a transition, in order. */
export type TurnEffect =
  /** Persist the state: "now" at every change of phase or attempt, "batched" for stream deltas (throttled). */
  | { type: "save"; when: "now" | "batched" }
  | { type: "emit"; notice: TurnNotice }
  | { type: "route" }
  | {
      type: "propose";
      purpose: "route" | "cascade" | "revise";
      provider: ProviderRef;
      router: RouterDecisionInfo | null;
      edited: PayloadMessage[] | null;
      /** cascade: the attempt the cloud answer would replace. */
      replacesAttemptId: string | null;
    }
  | { type: "check-request"; proposal: EscalationProposal }
  | { type: "generate-local"; attemptId: string; collectConfidence: boolean }
  | { type: "generate-cloud"; attemptId: string; proposal: EscalationProposal }
  | { type: "abort"; attemptId: string }
  | { type: "judge"; attemptId: string; confidences: number[] };

export type TurnEffectType = TurnEffect["type"];

/** What clients learn (the wiring maps these to contract events). */
export type TurnNotice =
  | { type: "attempt-started"; attempt: Attempt }
  | { type: "text-delta"; attemptId: string; text: string }
  | { type: "reasoning-delta"; attemptId: string; text: string }
  | { type: "attempt-ended"; attempt: Attempt }
  | { type: "approval-requested"; proposal: EscalationProposal; standing: string | null }
  | { type: "approval-resolved"; proposalId: string }
  /** The send was not made (the body changed, the provider went): the proposal still stands, or a renewed one does. */
  | { type: "approval-refused"; proposalId: string; error: SerializedAppError }
  | { type: "turn-ended"; phase: "done" | "failed" | "interrupted"; answerId: string | null };

export type TurnRejection = {
  /** invalid-event: this event means nothing in this phase; stale: it is about an attempt or proposal that is over. */
  code: "invalid-event" | "stale-event";
  phase: TurnPhase;
  event: TurnEventType;
  message: string;
};

/** A transition, or a refusal that leaves the state exactly as it was. Never thrown. */
export type TurnResult =
  | { ok: true; state: TurnState; effects: TurnEffect[] }
  | { ok: false; state: TurnState; error: TurnRejection };

export type BeginResult = { ok: true; state: TurnState; effects: TurnEffect[] } | { ok: false; error: SerializedAppError };
