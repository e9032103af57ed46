import type { SerializedAppError } from "../../../contract/index.js";
import type { Attempt, AttemptStatus, ProviderRef, StateOf, TurnPhase, TurnState } from "./turn-schema.js";
import type { TurnEffect, TurnEvent, TurnResult } from "./turn-types.js";
import type { AttemptReason } from "./attempt-reason.js";

/** Small builders the machine's transitions share; all pure. */

type Base = Pick<TurnState, "version" | "input" | "router" | "attempts" | "updatedAt">;
type PhaseFields<P extends TurnPhase> = Omit<StateOf<P>, keyof Base>;

/** The state in another phase, keeping the turn's input, router decision and attempts. */
export function enter<P extends TurnPhase>(
  from: TurnState,
  at: number,
  fields: PhaseFields<P>,
  changes: Partial<Pick<Base, "router" | "attempts">> = {},
): StateOf<P> {
  const base: Base = { version: from.version, input: from.input, router: from.router, attempts: from.attempts, updatedAt: at, ...changes };
  return { ...base, ...fields } as StateOf<P>;
}

export const ok = (state: TurnState, effects: TurnEffect[]): TurnResult => ({ ok: true, state, effects });

export function refuse(state: TurnState, event: TurnEvent, code: "invalid-event" | "stale-event", message?: string): TurnResult {
  return {
    ok: false,
    state,
    error: { code, phase: state.phase, event: event.type, message: message ?? `"${event.type}" does not apply while the turn is ${state.phase}.` },
  };
}

export function attemptById(state: TurnState, id: string): Attempt | undefined {
  return state.attempts.find((a) => a.id === id);
}

export function replaceAttempt(state: TurnState, attempt: Attempt): Attempt[] {
  return state.attempts.map((a) => (a.id === attempt.id ? attempt : a));
}

export type NewAttempt = {
  kind: Attempt["kind"];
  target: Attempt["target"];
  provider: ProviderRef | null;
  reason: AttemptReason;
  follows: string | null;
};

/** The next attempt record, streaming from `at`; its id is derived from the turn's, so no randomness is needed. */
export function newAttempt(state: TurnState, spec: NewAttempt, at: number): Attempt {
  const model = spec.target === "cloud" ? `${spec.provider?.name ?? "Cloud"} ${spec.provider?.model ?? ""}`.trim() : state.input.localModel.name;
  return {
    id: `${state.input.turnId}.${state.attempts.length + 1}`,
    kind: spec.kind,
    target: spec.target,
    provider: spec.target === "cloud" ? spec.provider : null,
    model,
    reason: spec.reason,
    follows: spec.follows,
    status: "streaming",
    // A continued answer starts as the cut-off one; the model's words follow.
    text: spec.kind === "continue" ? (state.input.continues?.text ?? "") : "",
    reasoning: spec.kind === "continue" ? (state.input.continues?.reasoning ?? "") : "",
    finish: null,
    stats: null,
    usage: null,
    error: null,
    startedAt: at,
    endedAt: null,
  };
}

/** The first attempt of a turn is an answer, or a retry when the turn regenerates one. */
export function firstKind(state: TurnState): Attempt["kind"] {
  if (state.input.origin === "continue") return "continue";
  return state.input.origin === "regenerate" ? "retry" : "answer";
}

export function endAttempt(
  attempt: Attempt,
  at: number,
  status: Exclude<AttemptStatus, "streaming">,
  end: Partial<Pick<Attempt, "finish" | "stats" | "error">> = {},
): Attempt {
  return { ...attempt, status, endedAt: at, ...end };
}

/**
 * Starts an attempt: the state goes to generating and the runner is told to persist, announce and generate.
 * `fallback` is the cascade's local answer; `judge` asks for token confidences.
 */
export function startGenerating(
  from: TurnState,
  at: number,
  spec: NewAttempt,
  options: { fallback?: string | null; judge?: boolean; proposal?: StateOf<"awaiting-approval">["proposal"] } = {},
  before: TurnEffect[] = [],
): TurnResult {
  const attempt = newAttempt(from, spec, at);
  const judge = options.judge ?? false;
  const state = enter<"generating">(from, at, { phase: "generating", attemptId: attempt.id, fallback: options.fallback ?? null, judge }, {
    attempts: [...from.attempts, attempt],
  });
  const generate: TurnEffect =
    spec.target === "cloud" && options.proposal
      ? { type: "generate-cloud", attemptId: attempt.id, proposal: options.proposal }
      : { type: "generate-local", attemptId: attempt.id, collectConfidence: judge };
  return ok(state, persistFirst(before, [{ type: "emit", notice: { type: "attempt-started", attempt } }, generate]));
}

/** Ends the turn in a terminal phase: persist, announce the attempt that just ended (if any), announce the end. */
export function finishTurn(
  state: StateOf<"done" | "failed" | "interrupted">,
  ended: Attempt | null,
  before: TurnEffect[] = [],
): TurnResult {
  const notices: TurnEffect[] = ended ? [{ type: "emit", notice: { type: "attempt-ended", attempt: ended } }] : [];
  return ok(state, persistFirst(before, [...notices, { type: "emit", notice: { type: "turn-ended", phase: state.phase, answerId: state.answerId } }]));
}

/**
 * Aborts first (stop at once), then the save, then everything clients are told: a client never hears of a state a
 * kill could take back.
 */
function persistFirst(before: TurnEffect[], after: TurnEffect[]): TurnEffect[] {
  const aborts = before.filter((e) => e.type === "abort");
  const rest = before.filter((e) => e.type !== "abort");
  return [...aborts, { type: "save", when: "now" }, ...rest, ...after];
}

export function done(from: TurnState, at: number, answerId: string, note: string | null, attempts?: Attempt[]): StateOf<"done"> {
  return enter<"done">(from, at, { phase: "done", answerId, note }, attempts ? { attempts } : {});
}

export function failed(from: TurnState, at: number, answerId: string | null, error: SerializedAppError, attempts?: Attempt[]): StateOf<"failed"> {
  return enter<"failed">(from, at, { phase: "failed", answerId, error }, attempts ? { attempts } : {});
}

export function interrupted(
  from: TurnState,
  at: number,
  answerId: string | null,
  cause: StateOf<"interrupted">["cause"],
  attempts?: Attempt[],
): StateOf<"interrupted"> {
  return enter<"interrupted">(from, at, { phase: "interrupted", answerId, cause }, attempts ? { attempts } : {});
}
