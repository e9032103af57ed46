import { AppError, type EscalationProposal, type SerializedAppError } from "../../contract/index.js";
import { isDiskFull } from "../store/disk-full.js";
import type { TurnStore } from "../store/turn-store.js";
import type { ChatDeps } from "./chat-deps.js";
import { reasoningPartDelta, textPartDelta } from "./chat-events.js";
import { DeltaBatcher } from "./delta-batcher.js";
import { corePorts } from "./turn/core-ports.js";
import { TurnRunner } from "./turn/turn-runner.js";
import { isResting, type Attempt, type TurnInput, type TurnState } from "./turn/turn-schema.js";
import type { TurnNotice } from "./turn/turn-types.js";

/** What a caller waits for after starting a turn or answering its proposal: the first thing that happened. */
export type TurnOutcome =
  | { kind: "attempt"; attemptId: string }
  | { kind: "approval"; proposal: EscalationProposal; refusal: SerializedAppError | null }
  | { kind: "ended"; state: TurnState };

type Deferred = { resolve: (outcome: TurnOutcome) => void };

export type SessionDeps = ChatDeps & {
  turns: TurnStore;
  /** Tells every window which branch the conversation now shows. */
  emitBranch: (conversationId: string) => void;
  /** The turn is over (the chat service forgets it). */
  onEnded: (session: TurnSession) => void;
};

/**
 * One turn of one conversation on the real core: the runner, its ports, and what clients are told. Attempts are
 * persisted before clients hear of them; stream deltas go out in ~30 ms batches; a save the full disk refuses
 * stops the answer, which ends saying so, and is written once there is room.
 */
export class TurnSession {
  private runner: TurnRunner | null = null;
  private waiter: Deferred | null = null;
  private refusal: SerializedAppError | null = null;
  private replaces: string | null = null;
  private readonly batchers = new Map<string, { text: DeltaBatcher; reasoning: DeltaBatcher }>();
  /** Attempts that ended while the disk was full: they end as DISK_FULL errors whatever their status was. */
  private readonly diskFull = new Map<string, SerializedAppError>();

  private constructor(
    private readonly deps: SessionDeps,
    readonly conversationId: string,
  ) {}

  /** Starts a turn; resolves with its first outcome (an attempt started, a proposal to approve, or the end). */
  /** `replaces`: the answer the conversation showed in the new answer's place (a regenerated one), if any. */
  static start(deps: SessionDeps, input: TurnInput, replaces: string | null = null): { session: TurnSession; first: Promise<TurnOutcome> } {
    const session = new TurnSession(deps, input.conversationId);
    session.replaces = replaces;
    const first = session.expect();
    const started = TurnRunner.start(session.ports(), input, { logger: deps.logger });
    if (!started.ok) throw AppError.from(started.error);
    session.runner = started.runner;
    return { session, first };
  }

  /** Takes up a turn the app was killed in (see the machine's `recover`); null when it is over once recovered. */
  static resume(deps: SessionDeps, persisted: TurnState): TurnSession | null {
    const session = new TurnSession(deps, persisted.input.conversationId);
    session.runner = TurnRunner.resume(session.ports(), persisted, { logger: deps.logger });
    return session.runner.state.phase === "awaiting-approval" ? session : null;
  }

  get state(): TurnState {
    return this.runner!.state;
  }

  /** Routing, proposing, generating or judging: the conversation is busy. */
  get busy(): boolean {
    return this.runner === null || !isResting(this.runner.state);
  }

  /** The proposal this turn waits on, if it waits. */
  get proposal(): EscalationProposal | null {
    const state = this.runner?.state;
    return state?.phase === "awaiting-approval" ? state.proposal : null;
  }

  /** The answer being written, or the user's message while routing/proposing: what a delete must not remove. */
  get workingOn(): string | null {
    const state = this.runner?.state;
    if (!state || isResting(state)) return null;
    return state.phase === "generating" ? state.attemptId : state.input.userMessageId;
  }

  /** Applies the user's decision or edit on the pending proposal; resolves with what came of it. */
  decide(event: { type: "approve" | "reject"; proposalId: string } | { type: "edit"; proposalId: string; payload: EscalationProposal["payload"] }): Promise<TurnOutcome> {
    const outcome = this.expect();
    const result = this.runner!.dispatch(event);
    if (result && !result.ok) {
      this.waiter = null;
      throw new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
    }
    return outcome;
  }

  /** The conversation moved on: a proposal still waiting no longer applies. */
  supersede(): void {
    if (this.proposal) this.runner!.dispatch({ type: "superseded" });
  }

  stop(): void {
    if (this.busy) this.runner?.stop();
  }

  /** Resolves once nothing of the turn runs any more. */
  async settled(): Promise<void> {
    await this.runner?.settled();
  }

  private expect(): Promise<TurnOutcome> {
    return new Promise((resolve) => {
      this.waiter = { resolve };
    });
  }

  private settle(outcome: TurnOutcome): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(outcome);
  }

  private ports() {
    return corePorts(this.deps, { save: (state) => this.save(state), emit: (notice, state) => this.relay(notice, state) });
  }

  private save(state: TurnState): void {
    const { turns, store } = this.deps;
    // An attempt's last words reach the screen before its end is written (whatever becomes of that write).
    for (const attempt of state.attempts) if (attempt.status !== "streaming") this.flushDeltas(attempt.id);
    try {
      turns.save(state);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      const ended = state.attempts.filter((a) => a.status !== "streaming" && !turns.endedOnDisk(a));
      const appError = diskFullError(error, state, ended.length > 0 ? ended : state.attempts.filter((a) => a.status === "streaming"), turns);
      // Shown as they ended, with why they are not on disk; written like that once there is room.
      for (const attempt of ended) {
        this.diskFull.set(attempt.id, appError.toJSON());
        try {
          store.finishMessage(attempt.id, { content: attempt.text, reasoning: attempt.reasoning, status: "error", stats: attempt.stats, error: appError.toJSON() });
        } catch {
          // Expected while the disk is full: the store keeps it in memory.
        }
      }
      if (ended.length > 0) {
        turns.replacePending({ ...state, attempts: state.attempts.map((a) => (this.diskFull.has(a.id) ? { ...a, status: "error", error: this.diskFull.get(a.id)! } : a)) });
      }
      throw appError;
    }
  }

  private relay(notice: TurnNotice, state: TurnState): void {
    const { emitChat, store } = this.deps;
    const { conversationId } = this;
    switch (notice.type) {
      case "attempt-started": {
        const { attempt } = notice;
        const stored = store.getMessage(attempt.id);
        if (stored) {
          const versions = store.siblings(attempt.id);
          const message = versions.count > 1 ? { ...stored, versionIds: versions.ids } : stored;
          if (attempt.kind === "answer") emitChat({ type: "message-start", conversationId, message });
          // A version beside another (retry, failover, cascade, continue), shown in place of the one shown there.
          else emitChat({ type: "attempt-started", conversationId, message, kind: attempt.kind, replaces: attempt.follows ?? this.replaces });
        }
        this.settle({ kind: "attempt", attemptId: attempt.id });
        return;
      }
      case "text-delta":
        return this.batcher(notice.attemptId).text.push(notice.text);
      case "reasoning-delta":
        return this.batcher(notice.attemptId).reasoning.push(notice.text);
      case "attempt-ended":
        return this.ended(notice.attempt);
      case "approval-requested":
        emitChat({ type: "escalation-proposed", conversationId, proposal: notice.proposal });
        this.settle({ kind: "approval", proposal: notice.proposal, refusal: this.refusal });
        this.refusal = null;
        return;
      case "approval-resolved":
        emitChat({ type: "escalation-resolved", conversationId, proposalId: notice.proposalId });
        return;
      case "approval-refused":
        this.refusal = notice.error;
        return;
      case "turn-ended":
        this.showAnswer(state, notice.answerId);
        this.settle({ kind: "ended", state });
        this.deps.onEnded(this);
        return;
    }
  }

  private batcher(attemptId: string) {
    let batcher = this.batchers.get(attemptId);
    if (!batcher) {
      const { emitChat } = this.deps;
      batcher = {
        text: new DeltaBatcher((text) => emitChat(textPartDelta(this.conversationId, attemptId, text))),
        reasoning: new DeltaBatcher((text) => emitChat(reasoningPartDelta(this.conversationId, attemptId, text))),
      };
      this.batchers.set(attemptId, batcher);
    }
    return batcher;
  }

  private flushDeltas(attemptId: string): void {
    const batcher = this.batchers.get(attemptId);
    batcher?.reasoning.flush();
    batcher?.text.flush();
  }

  private ended(attempt: Attempt): void {
    this.flushDeltas(attempt.id);
    this.batchers.delete(attempt.id);
    if (attempt.target === "cloud" && attempt.status === "error") {
      this.deps.logger?.warn("cloud answer failed", { code: attempt.error?.code ?? "INTERNAL" });
    }
    const diskFull = this.diskFull.get(attempt.id);
    const status = diskFull ? "error" : attempt.status === "interrupted" && !attempt.error ? "stopped" : attempt.status === "streaming" ? "error" : attempt.status;
    this.deps.emitChat({
      type: "message-finish",
      conversationId: this.conversationId,
      messageId: attempt.id,
      status,
      stats: attempt.stats,
      error: diskFull ?? attempt.error,
      // The whole answer as it ended, so the screen keeps it even when the disk could not.
      content: attempt.text,
      reasoning: attempt.reasoning,
    });
  }

  /** The turn's answer is the version shown (a cascade's local answer stands again when its cloud answer failed). */
  private showAnswer(state: TurnState, answerId: string | null): void {
    if (!answerId) return;
    const { store } = this.deps;
    try {
      const leaf = store.tree.activeLeaf(this.conversationId);
      const ours = state.attempts.some((a) => a.id === leaf);
      if (!ours || leaf === answerId || !store.getMessage(answerId)) return;
      store.setActiveVersion(answerId);
      this.deps.emitBranch(this.conversationId);
    } catch (error) {
      this.deps.logger?.error("could not show the turn's answer", { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** What the user reads when the disk filled up under an answer: why it stopped, what was kept, what to do. */
function diskFullError(cause: unknown, state: TurnState, attempts: Attempt[], turns: TurnStore): AppError {
  const total = attempts.reduce((n, a) => n + a.text.length + a.reasoning.length, 0);
  const saved = attempts.reduce((n, a) => n + turns.savedChars(a.id), 0);
  const kept =
    total === saved
      ? "The answer so far stays on screen and is saved."
      : `The answer so far stays on screen; ${saved} of its ${total} characters are on disk, and Hearth writes the rest as soon as there is room.`;
  const what = state.phase === "generating" ? "Hearth stopped this answer" : "this answer could not be saved";
  return new AppError(
    "DISK_FULL",
    `The disk is full, so ${what}. ${kept} Your earlier messages are safe. Free some disk space, then regenerate the answer or send your next message.`,
    { retryable: true, cause },
  );
}
