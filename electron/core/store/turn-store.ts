import { answeredByOf, messageFieldsOf } from "../chat/turn/attempt-message.js";
import { isTerminal, parseTurnState, type Attempt, type TurnState } from "../chat/turn/turn-schema.js";
import path from "node:path";
import { reportDiskFullAsAppError } from "./disk-full.js";
import type { Store } from "./store.js";

type TurnRow = { id: string; state: string };

/** What of an attempt's row was last written, so a save writes only the attempts that changed. */
type Written = { status: Attempt["status"]; text: number; reasoning: number; ended: boolean };

/**
 * Persists the turn engine's state: the turn (one `turns` row while it is not over) and each of its attempts (one
 * message row each, a sibling version under the user's message), in one transaction, so a kill at any point
 * leaves a state and rows that agree. A pending proposal is kept where the rest of the app reads it.
 */
export class TurnStore {
  private readonly written = new Map<string, Written>();
  /** The latest state of each turn whose save did not fit on the disk: written as soon as there is room. */
  private readonly pending = new Map<string, TurnState>();

  constructor(private readonly store: Store) {
    // A full disk surfaces from any statement or commit: reported as DISK_FULL, like the store's own methods.
    reportDiskFullAsAppError(this, path.dirname(store.db.name));
  }

  /**
   * Writes the state. Attempt rows are created when first seen and updated while they change; an attempt whose row
   * the user deleted meanwhile is not brought back. A save that fails (a full disk) is kept and tried again before
   * the next one, and by `flush`; it still throws, so the turn stops.
   */
  save(state: TurnState): void {
    this.pending.delete(state.input.turnId);
    try {
      this.flushPending();
      this.write(state);
    } catch (error) {
      this.pending.set(state.input.turnId, state);
      throw error;
    }
  }

  /** Writes the saves a full disk refused; stops at the first that still does not fit. */
  flush(): void {
    try {
      this.flushPending();
    } catch {
      // Still no room: kept for the next try.
    }
  }

  private flushPending(): void {
    for (const [id, state] of this.pending) {
      this.write(state);
      this.pending.delete(id);
    }
  }

  private write(state: TurnState): void {
    const { store } = this;
    const { input } = state;
    const written: Array<[string, Written]> = [];
    store.db.transaction(() => {
      // A turn whose message was deleted (with its conversation, or by the user) has nothing left to save.
      if (store.getMessage(input.userMessageId)?.conversationId !== input.conversationId) {
        store.db.prepare("DELETE FROM turns WHERE id = ?").run(input.turnId);
        if (store.pendingProposal(input.conversationId)?.userMessageId === input.userMessageId) store.deleteProposal(input.conversationId);
        return;
      }
      for (const attempt of state.attempts) {
        const entry = this.saveAttempt(state, attempt);
        if (entry) written.push([attempt.id, entry]);
      }
      if (isTerminal(state)) {
        store.db.prepare("DELETE FROM turns WHERE id = ?").run(input.turnId);
      } else {
        store.db
          .prepare(
            `INSERT INTO turns (id, conversation_id, user_message_id, phase, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET phase = excluded.phase, state = excluded.state, updated_at = excluded.updated_at`,
          )
          .run(input.turnId, input.conversationId, input.userMessageId, state.phase, JSON.stringify(state), state.updatedAt);
      }
      this.syncProposal(state);
    })();
    // Only once committed: a rolled-back write must be written again next time.
    for (const [id, entry] of written) this.written.set(id, entry);
    if (isTerminal(state)) for (const attempt of state.attempts) this.written.delete(attempt.id);
  }

  /** Whether an ended attempt's final row is on disk (as it ended). */
  endedOnDisk(attempt: Attempt): boolean {
    const entry = this.written.get(attempt.id);
    return entry !== undefined && entry.ended && entry.status === attempt.status && entry.text === attempt.text.length;
  }

  /** What to write instead of a turn's refused save (its answers marked as not saved for lack of room). */
  replacePending(state: TurnState): void {
    if (this.pending.has(state.input.turnId)) this.pending.set(state.input.turnId, state);
  }

  /** Characters of an attempt (text and reasoning) known to be on disk. */
  savedChars(attemptId: string): number {
    const entry = this.written.get(attemptId);
    return entry ? entry.text + entry.reasoning : 0;
  }

  /** Turns not over when the app last stopped, oldest first; rows this version cannot read are dropped. */
  unfinished(onUnreadable: (id: string) => void): TurnState[] {
    const rows = this.store.db.prepare("SELECT id, state FROM turns ORDER BY updated_at").all() as TurnRow[];
    const states: TurnState[] = [];
    for (const row of rows) {
      let parsed: TurnState | null = null;
      try {
        parsed = parseTurnState(JSON.parse(row.state));
      } catch {
        parsed = null;
      }
      if (parsed && parsed.input.turnId === row.id) {
        states.push(parsed);
      } else {
        this.store.db.prepare("DELETE FROM turns WHERE id = ?").run(row.id);
        onUnreadable(row.id);
      }
    }
    return states;
  }

  /** Writes an attempt's row if it changed; returns what is then on disk (null: nothing to write). */
  private saveAttempt(state: TurnState, attempt: Attempt): Written | null {
    const { store } = this;
    const last = this.written.get(attempt.id);
    const ended = attempt.status !== "streaming";
    if (last && last.status === attempt.status && last.text === attempt.text.length && last.reasoning === attempt.reasoning.length && last.ended === ended) {
      return null;
    }
    const fields = messageFieldsOf(attempt);
    const existing = last ? null : store.getMessage(attempt.id);
    if (!last && !existing) {
      // A row is created by the first save of a new attempt (while it streams); an ended attempt without a row was
      // deleted by the user, and a recovered state must not bring it back.
      if (attempt.status !== "streaming") return null;
      store.addMessage({
        id: attempt.id,
        conversationId: state.input.conversationId,
        parentId: state.input.userMessageId,
        role: "assistant",
        content: fields.content,
        status: "streaming",
        modelId: attempt.target === "local" ? state.input.localModel.id : null,
        modelName: fields.modelName,
      });
    } else if (last && !store.getMessage(attempt.id)) {
      // Deleted by the user while it streamed (the subtree of an older message): stays deleted.
      return null;
    }
    store.setAnsweredBy(attempt.id, answeredByOf(attempt), fields.modelName ?? undefined);
    if (ended) {
      store.finishMessage(attempt.id, { content: fields.content, reasoning: fields.reasoning, status: fields.status, stats: fields.stats, error: fields.error });
    } else {
      store.saveProgress(attempt.id, fields.content, fields.reasoning);
    }
    return { status: attempt.status, text: attempt.text.length, reasoning: attempt.reasoning.length, ended };
  }

  /** The proposal waiting for the user, where getPendingEscalation reads it; gone once this turn moved on. */
  private syncProposal(state: TurnState): void {
    const pending = this.store.pendingProposal(state.input.conversationId);
    if (state.phase === "awaiting-approval") {
      if (pending?.id !== state.proposal.id) this.store.saveProposal(state.proposal);
      return;
    }
    // Approved but not yet checked, or being revised: the proposal still stands.
    if (state.phase === "confirming" || (state.phase === "proposing" && state.purpose === "revise")) return;
    if (pending?.userMessageId === state.input.userMessageId) this.store.deleteProposal(state.input.conversationId);
  }
}
