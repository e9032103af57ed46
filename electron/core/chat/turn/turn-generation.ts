import type { MessageStats, SerializedAppError } from "../../../contract/index.js";
import { keptLocalNote, reasons } from "./attempt-reason.js";
import { attemptById, done, enter, endAttempt, failed, finishTurn, interrupted, ok, refuse, replaceAttempt, startGenerating } from "./turn-build.js";
import type { StateOf } from "./turn-schema.js";
import type { StreamPart } from "./stream-parts.js";
import type { TurnEffect, TurnEvent, TurnResult } from "./turn-types.js";

type Generating = StateOf<"generating">;

/** A stream part of the attempt being generated. */
export function onPart(state: Generating, event: Extract<TurnEvent, { type: "part" }>): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  const { part, at } = event;
  switch (part.type) {
    case "text-delta":
    case "reasoning-delta": {
      if (!part.text) return ok(state, []);
      const field = part.type === "text-delta" ? "text" : "reasoning";
      const span = part.type === "reasoning-delta" ? { from: attempt.reasoningSpan?.from ?? at, to: at } : attempt.reasoningSpan;
      const next = { ...attempt, [field]: attempt[field] + part.text, ...(span ? { reasoningSpan: span } : {}) };
      return ok({ ...state, updatedAt: at, attempts: replaceAttempt(state, next) }, [
        { type: "save", when: "batched" },
        { type: "emit", notice: { type: part.type, attemptId: attempt.id, text: part.text } },
      ]);
    }
    case "usage": {
      const next = { ...attempt, usage: { inputTokens: part.inputTokens, outputTokens: part.outputTokens } };
      return ok({ ...state, updatedAt: at, attempts: replaceAttempt(state, next) }, [{ type: "save", when: "batched" }]);
    }
    case "finish":
      return onFinish(state, part, at);
    case "error":
      return onError(state, part.error, at);
    default:
      part satisfies never;
      return refuse(state, event, "invalid-event", "Unknown stream part.");
  }
}

function onFinish(state: Generating, part: Extract<StreamPart, { type: "finish" }>, at: number): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  // An abort the user did not ask for here (the runner ended the generator) reads as a stop.
  if (part.reason === "abort") return stopGenerating(state, at, { stats: part.stats }, []);
  const ended = endAttempt(attempt, at, "complete", { finish: part.reason, stats: part.stats });
  const attempts = replaceAttempt(state, ended);
  if (attempt.target === "local" && state.judge && part.confidences !== undefined) {
    const judging = enter<"judging">(state, at, { phase: "judging", attemptId: ended.id }, { attempts });
    return ok(judging, [
      { type: "save", when: "now" },
      { type: "emit", notice: { type: "attempt-ended", attempt: ended } },
      { type: "judge", attemptId: ended.id, confidences: part.confidences },
    ]);
  }
  return finishTurn(done(state, at, ended.id, null, attempts), ended);
}

/**
 * A failed attempt: a cloud answer fails over to a new local attempt (the cloud's partial text stays as its own
 * attempt), or, in a cascade, the local answer it was replacing stands again. A local failure ends the turn.
 */
function onError(state: Generating, error: SerializedAppError, at: number): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  if (attempt.target === "local" && error.code === "ENGINE_CRASHED") {
    // The model's process died under the answer: what it wrote stays, cut off like after a crash, saying why.
    const cut = endAttempt(attempt, at, "interrupted", { error });
    return finishTurn(interrupted(state, at, cut.id, "crash", replaceAttempt(state, cut)), cut);
  }
  const ended = endAttempt(attempt, at, "error", { error });
  const attempts = replaceAttempt(state, ended);
  if (attempt.target === "local") return finishTurn(failed(state, at, ended.id, error, attempts), ended);
  if (state.fallback) return finishTurn(done(state, at, state.fallback, keptLocalNote(attempt.provider, error), attempts), ended);
  const withEnded = { ...state, attempts };
  return startGenerating(
    withEnded,
    at,
    { kind: "failover", target: "local", provider: null, reason: reasons.failover(attempt.provider, error), follows: ended.id },
    {},
    [{ type: "emit", notice: { type: "attempt-ended", attempt: ended } }],
  );
}

/** Stopped (by the user, or the generator ended itself with an abort): the partial answer is kept as stopped. */
export function stopGenerating(state: Generating, at: number, end: { stats?: MessageStats | null }, before: TurnEffect[]): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  const ended = endAttempt(attempt, at, "stopped", { finish: "abort", stats: end.stats ?? attempt.stats });
  const attempts = replaceAttempt(state, ended);
  if (attempt.target === "cloud" && state.fallback) {
    return finishTurn(done(state, at, state.fallback, keptLocalNote(attempt.provider, null), attempts), ended, before);
  }
  return finishTurn(interrupted(state, at, ended.id, "stopped", attempts), ended, before);
}

/** The runner cannot go on (the disk is full, say): the generation is aborted and the attempt ends with the error. */
export function haltGenerating(state: Generating, at: number, error: SerializedAppError): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  const ended = endAttempt(attempt, at, "error", { error });
  return finishTurn(failed(state, at, ended.id, error, replaceAttempt(state, ended)), ended, [{ type: "abort", attemptId: attempt.id }]);
}

/** After a kill: the partial answer is kept, marked interrupted; a cascade's local answer stands again. */
export function recoverGenerating(state: Generating, at: number): TurnResult {
  const attempt = attemptById(state, state.attemptId)!;
  const ended = endAttempt(attempt, at, "interrupted");
  const attempts = replaceAttempt(state, ended);
  if (attempt.target === "cloud" && state.fallback) {
    const note = "Hearth closed before the cloud answer finished — kept the local answer";
    return finishTurn(done(state, at, state.fallback, note, attempts), ended);
  }
  return finishTurn(interrupted(state, at, ended.id, "crash", attempts), ended);
}
