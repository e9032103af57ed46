import type { EscalationProposal, RouterDecisionInfo } from "../../../contract/index.js";
import type { Logger } from "../../core-types.js";
import type { Generator } from "./stream-parts.js";
import type { Attempt, StateOf, TurnInput, TurnState } from "./turn-schema.js";
import type { CloudNow, RequestCheck, TurnEffect, TurnNotice } from "./turn-types.js";

export type LocalGeneration = { input: TurnInput; attempt: Attempt; collectConfidence: boolean };
export type CloudGeneration = { input: TurnInput; attempt: Attempt; proposal: EscalationProposal };
export type ProposeRequest = Extract<TurnEffect, { type: "propose" }>;
export type JudgeRequest = Extract<TurnEffect, { type: "judge" }>;

/**
 * Everything a turn needs from the rest of the core. The runner calls these as the machine's effects say; a port
 * that throws becomes an event (a failed proposal, a refused send, a kept local answer), never a lost turn.
 */
export type TurnPorts = {
  /** Persists the whole state (synchronous, like better-sqlite3). Throwing halts the turn with that error. */
  save(state: TurnState): void;
  /** Tells clients; a listener that throws is logged and ignored. */
  emit(notice: TurnNotice, state: TurnState): void;
  /** The router's decision; null (or a throw) answers locally without a cascade. */
  route(state: StateOf<"routing">): Promise<RouterDecisionInfo | null> | RouterDecisionInfo | null;
  /** The redacted proposal (with its exact request body) for the provider. */
  propose(request: ProposeRequest, state: StateOf<"proposing">): Promise<EscalationProposal>;
  /** Approved: whether the body to send is still the one reviewed (or a refusal: the provider was removed, the policy changed). */
  checkRequest(proposal: EscalationProposal, state: StateOf<"confirming">): Promise<RequestCheck> | RequestCheck;
  /** The cascade's verdict on a complete local answer, with the mode and provider as they are now. */
  judge(request: JudgeRequest, state: StateOf<"judging">): Promise<Judgement> | Judgement;
  generateLocal: Generator<LocalGeneration>;
  generateCloud: Generator<CloudGeneration>;
};

export type Judgement = { verdict: { escalate: boolean; reason: string | null }; cloud: CloudNow };

export type TurnRunnerOptions = {
  /** Time for events (the machine has no clock). */
  clock?: () => number;
  /** Stream deltas are persisted at most this often: a crash loses at most this much of an answer. */
  saveEveryMs?: number;
  logger?: Logger;
};
