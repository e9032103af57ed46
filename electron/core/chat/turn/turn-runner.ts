import { AppError, serializeError, type SerializedAppError } from "../../../contract/index.js";
import type { StreamPart } from "./stream-parts.js";
import type { TurnPorts, TurnRunnerOptions } from "./turn-ports.js";
import { isResting, type TurnInput, type TurnState } from "./turn-schema.js";
import { begin, next, recover } from "./turn-state.js";
import type { TurnEffect, TurnEvent, TurnRejection, TurnResult } from "./turn-types.js";

type Unstamped = TurnEvent extends infer E ? (E extends TurnEvent ? Omit<E, "at"> : never) : never;
type Waiter = { until: (state: TurnState) => boolean; resolve: (state: TurnState) => void };

const SAVE_EVERY_MS = 250;
const MAX_REJECTIONS_KEPT = 100;

/**
 * Drives one turn: applies events to the machine one at a time, runs the effects it returns (persist, tell
 * clients, route, propose, generate, abort, judge) and feeds what they produce back as events. The machine decides;
 * the runner only does. Events that arrive while an effect runs are queued, so effects always see the state they
 * were made for.
 */
export class TurnRunner {
  private current: TurnState;
  private readonly queue: TurnEvent[] = [];
  private draining = false;
  private inFlight = 0;
  private readonly controllers = new Map<string, AbortController>();
  private readonly waiters: Waiter[] = [];
  private lastSave = Number.NEGATIVE_INFINITY;
  private saveTimer: NodeJS.Timeout | null = null;
  private readonly clock: () => number;
  private readonly saveEveryMs: number;
  /** Events the machine refused (stale stream parts after a stop, a second approve): kept for tests and logs. */
  readonly rejections: TurnRejection[] = [];

  private constructor(
    private readonly ports: TurnPorts,
    state: TurnState,
    private readonly options: TurnRunnerOptions,
  ) {
    this.current = state;
    this.clock = options.clock ?? Date.now;
    this.saveEveryMs = options.saveEveryMs ?? SAVE_EVERY_MS;
  }

  /** Starts a turn, or says (as the user would read it) why it cannot start. */
  static start(ports: TurnPorts, input: TurnInput, options: TurnRunnerOptions = {}): { ok: true; runner: TurnRunner } | { ok: false; error: SerializedAppError } {
    const at = (options.clock ?? Date.now)();
    const first = begin(input, at);
    if (!first.ok) return first;
    const runner = new TurnRunner(ports, first.state, options);
    runner.step(first.effects);
    return { ok: true, runner };
  }

  /** Takes up a turn persisted before the app was killed: what its state means now (see `recover`). */
  static resume(ports: TurnPorts, persisted: TurnState, options: TurnRunnerOptions = {}): TurnRunner {
    const runner = new TurnRunner(ports, persisted, options);
    const result = recover(persisted, runner.clock());
    if (result.ok) {
      runner.current = result.state;
      runner.step(result.effects);
    }
    return runner;
  }

  get state(): TurnState {
    return this.current;
  }

  /**
   * Applies an event now and returns the machine's answer; null when it was queued behind the step being run (a
   * listener reacting to a notice), in which case it applies right after.
   */
  dispatch(event: Unstamped): TurnResult | null {
    const stamped = { ...event, at: this.clock() } as TurnEvent;
    if (this.draining) {
      this.queue.push(stamped);
      return null;
    }
    const result = this.apply(stamped);
    this.drain();
    return result;
  }

  /** The user's Stop. The generator, if any, is aborted; `settled()` waits until it has let go. */
  stop(): TurnResult | null {
    return this.dispatch({ type: "stop" });
  }

  /** Resolves once the turn rests (awaiting approval, or over) and nothing it started is still running. */
  settled(): Promise<TurnState> {
    return this.until(() => true);
  }

  /** Resolves at the first settled state that matches. */
  until(predicate: (state: TurnState) => boolean): Promise<TurnState> {
    return new Promise((resolve) => {
      this.waiters.push({ until: predicate, resolve });
      this.wake();
    });
  }

  private enqueue(event: TurnEvent): void {
    this.queue.push(event);
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) this.apply(event);
    } finally {
      this.draining = false;
    }
    this.wake();
  }

  private apply(event: TurnEvent): TurnResult {
    const result = next(this.current, event);
    if (!result.ok) {
      // Bounded: a generator that ignores its abort must not grow this without end.
      if (this.rejections.length < MAX_REJECTIONS_KEPT) this.rejections.push(result.error);
      return result;
    }
    this.current = result.state;
    this.step(result.effects);
    return result;
  }

  /** Runs a transition's effects; events they cause (a failed save) wait until all of them ran. */
  private step(effects: TurnEffect[]): void {
    const wasDraining = this.draining;
    this.draining = true;
    try {
      for (const effect of effects) this.execute(effect);
    } finally {
      this.draining = wasDraining;
    }
    if (!wasDraining) this.drain();
  }

  private wake(): void {
    if (this.draining || this.inFlight > 0 || this.queue.length > 0 || !isResting(this.current)) return;
    for (const waiter of [...this.waiters]) {
      if (!waiter.until(this.current)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(this.current);
    }
  }

  private execute(effect: TurnEffect): void {
    const state = this.current;
    switch (effect.type) {
      case "save":
        return this.save(effect.when);
      case "emit":
        try {
          this.ports.emit(effect.notice, state);
        } catch (error) {
          this.options.logger?.error("a turn listener failed", { error: error instanceof Error ? error.message : String(error) });
        }
        return;
      case "route":
        if (state.phase !== "routing") return;
        return this.task(
          () => this.ports.route(state),
          (decision) => ({ type: "routed", at: this.clock(), decision }),
          (error) => {
            this.options.logger?.error("router failed", { error: error instanceof Error ? error.message : String(error) });
            return { type: "routed", at: this.clock(), decision: null };
          },
        );
      case "propose":
        if (state.phase !== "proposing") return;
        return this.task(
          () => this.ports.propose(effect, state),
          (proposal) => ({ type: "proposed", at: this.clock(), proposal }),
          (error) => ({ type: "propose-failed", at: this.clock(), error: serializeError(error) }),
        );
      case "check-request":
        if (state.phase !== "confirming") return;
        return this.task(
          () => this.ports.checkRequest(effect.proposal, state),
          (outcome) => ({ type: "request-checked", at: this.clock(), proposalId: effect.proposal.id, outcome }),
          (error) => ({ type: "request-checked", at: this.clock(), proposalId: effect.proposal.id, outcome: { kind: "refused", error: serializeError(error) } }),
        );
      case "judge":
        if (state.phase !== "judging") return;
        return this.task(
          () => this.ports.judge(effect, state),
          ({ verdict, cloud }) => ({ type: "judged", at: this.clock(), attemptId: effect.attemptId, verdict, cloud }),
          // The local answer is complete and stands; the cascade is only ever an offer.
          () => ({ type: "judged", at: this.clock(), attemptId: effect.attemptId, verdict: { escalate: false, reason: null }, cloud: { mode: "local", provider: null } }),
        );
      case "generate-local":
      case "generate-cloud":
        return this.generate(effect);
      case "abort":
        this.controllers.get(effect.attemptId)?.abort(new AppError("ABORTED", "Stopped."));
        return;
      default:
        effect satisfies never;
    }
  }

  private save(when: "now" | "batched"): void {
    const now = this.clock();
    if (when === "batched" && now - this.lastSave < this.saveEveryMs) {
      // A stream that goes quiet still gets its last deltas on disk.
      this.saveTimer ??= setTimeout(() => {
        this.saveTimer = null;
        this.save("now");
      }, this.saveEveryMs).unref();
      return;
    }
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.lastSave = now;
    try {
      this.ports.save(this.current);
    } catch (error) {
      this.options.logger?.error("could not save a turn", { error: error instanceof Error ? error.message : String(error) });
      this.enqueue({ type: "halt", at: this.clock(), error: serializeError(error) });
    }
  }

  /** Runs a port call; its outcome comes back as an event. */
  private task<T>(call: () => Promise<T> | T, onValue: (value: T) => TurnEvent, onError: (error: unknown) => TurnEvent): void {
    this.inFlight += 1;
    void Promise.resolve()
      .then(call)
      .then(onValue, onError)
      .then((event) => {
        this.inFlight -= 1;
        this.enqueue(event);
      });
  }

  private generate(effect: Extract<TurnEffect, { type: "generate-local" | "generate-cloud" }>): void {
    const state = this.current;
    if (state.phase !== "generating" || state.attemptId !== effect.attemptId) return;
    const attempt = state.attempts.find((a) => a.id === effect.attemptId);
    if (!attempt) return;
    const controller = new AbortController();
    this.controllers.set(attempt.id, controller);
    const part = (p: StreamPart): TurnEvent => ({ type: "part", at: this.clock(), attemptId: attempt.id, part: p });
    const { signal } = controller;
    this.inFlight += 1;
    void (async () => {
      let ended = false;
      try {
        const stream =
          effect.type === "generate-local"
            ? this.ports.generateLocal({ input: state.input, attempt, collectConfidence: effect.collectConfidence }, signal)
            : this.ports.generateCloud({ input: state.input, attempt, proposal: effect.proposal }, signal);
        for await (const p of stream) {
          this.enqueue(part(p));
          if (p.type === "finish" || p.type === "error") {
            ended = true;
            break;
          }
        }
        if (!ended) {
          ended = true;
          this.enqueue(
            part(
              signal.aborted
                ? { type: "finish", reason: "abort", stats: null }
                : { type: "error", error: { code: "GENERATION_FAILED", message: "The answer ended without finishing.", retryable: true } },
            ),
          );
        }
      } catch (error) {
        if (!ended) this.enqueue(part(signal.aborted ? { type: "finish", reason: "abort", stats: null } : { type: "error", error: serializeError(error) }));
      } finally {
        this.controllers.delete(attempt.id);
        this.inFlight -= 1;
        this.wake();
      }
    })();
  }
}
