import { randomUUID } from "node:crypto";
import {
  AppError,
  type Conversation,
  type EscalationProposal,
  type Message,
  type PayloadMessage,
} from "../../contract/index.js";
import { canContinueAnswer } from "../../contract/continue-answer.js";
import { TurnStore } from "../store/turn-store.js";
import { refuseSendOnDiskFull } from "./answer-failures.js";
import type { ChatDeps } from "./chat-deps.js";
import { messageAdded } from "./chat-events.js";
import { requireLocalModel, type LocalModel } from "./local-model.js";
import { TurnSession, type SessionDeps, type TurnOutcome } from "./turn-session.js";
import { isTerminal, type TurnInput } from "./turn/turn-schema.js";
import { titleFromPrompt } from "./title.js";

export type { ChatDeps } from "./chat-deps.js";

export type SendResult = { assistantMessageId: string | null; proposal: EscalationProposal | null };

/** Per-send choices besides the text. */
export type TurnOptions = {
  /** Once, for this answer: drop the oldest messages even if the conversation says stop and ask. */
  contextOverflow?: "drop-oldest";
};

/**
 * Turns user actions (send, regenerate, edit, continue, stop, the proposal's review) into turns of the turn engine
 * (electron/core/chat/turn/): one turn per answer, every attempt a version of it (a failover, a cascade, a retry),
 * every state persisted so a kill at any point reopens correctly. A cloud failure never loses the user's message:
 * the local model answers instead, in a new version that says why.
 */
export class ChatService {
  /** The turn of each conversation that is running or waits for the user's approval. */
  private readonly sessions = new Map<string, TurnSession>();
  private readonly turns: TurnStore;

  constructor(private readonly deps: ChatDeps) {
    this.turns = new TurnStore(deps.store);
    this.recover();
  }

  isGenerating(conversationId: string): boolean {
    return this.sessions.get(conversationId)?.busy ?? false;
  }

  /** Conversations whose answer is being generated with the given model. */
  conversationsUsingModel(modelId: string): string[] {
    return [...this.sessions.values()]
      .filter((s) => s.busy && s.state.input.localModel.id === modelId)
      .map((s) => s.conversationId);
  }

  /** `parentId`: where the message goes in the tree (an edit: beside the edited one); by default after the active leaf. */
  async send(
    conversationId: string,
    text: string,
    escalate = false,
    parentId?: string | null,
  ): Promise<SendResult & { userMessage: Message }> {
    const { store } = this.deps;
    const conversation = store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    this.requireModel(conversation);
    if (escalate) this.deps.escalation.requireCloud(conversation);

    this.supersede(conversationId);
    const isFirst = store.listMessages(conversationId).length === 0;
    const userMessage = refuseSendOnDiskFull(store, null, () =>
      store.addMessage({ conversationId, role: "user", content: text, status: "complete", ...(parentId !== undefined ? { parentId } : {}) }),
    );
    // Every window shows the user's message at once, not only the one that sent it.
    this.deps.emitChat(messageAdded(conversationId, userMessage));
    const started = refuseSendOnDiskFull(store, userMessage, () => {
      if (isFirst && conversation.title === "New chat") store.renameConversation(conversationId, titleFromPrompt(text));
      this.deps.onConversationChanged(store.getConversation(conversationId)!);
      return this.startTurn(conversationId, userMessage.id, "send", escalate ? "cloud" : null);
    });
    // A full disk at the turn's first save is refused as a whole too: the message was not sent.
    const result = await started.catch((error: unknown) =>
      refuseSendOnDiskFull(store, userMessage, () => {
        throw error;
      }),
    );
    return { userMessage, ...result };
  }

  /**
   * Another answer to the user message above `messageId` (by default the last answer), beside the old one, which
   * stays as a version; `messageId` may be the user message itself (answered anew, beside any answers it has). `target` is the user's choice ("Retry with cloud", keep local); none lets the router decide.
   */
  async regenerate(conversationId: string, messageId?: string, target?: "local" | "cloud", options: TurnOptions = {}): Promise<SendResult> {
    const { store } = this.deps;
    const conversation = store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    this.requireModel(conversation);
    if (target === "cloud") this.deps.escalation.requireCloud(conversation);
    const chosen = messageId ? this.requireMessage(conversationId, messageId) : store.listMessages(conversationId).at(-1);
    // A user message is answered (again): one left without an answer by a crash, a stop or a declined proposal.
    const answer = chosen?.role === "assistant" ? chosen : null;
    const userMessage = chosen?.role === "user" ? chosen : answer?.parentId ? store.getMessage(answer.parentId) : null;
    if (!chosen || userMessage?.role !== "user") {
      throw new AppError("INVALID_INPUT", "Only an answer to one of your messages can be regenerated.");
    }
    this.supersede(conversationId);
    // The answer the conversation shows under that user message now: the new one takes its place on screen.
    const shown = store.listMessages(conversationId).find((m) => m.parentId === userMessage.id)?.id ?? null;
    // The new answer is a sibling of the old one: it follows the branch up to their user message, so the context is
    // what the old answer saw, whichever branch the conversation showed.
    store.tree.setActiveLeaf(conversationId, userMessage.id);
    try {
      return await this.startTurn(conversationId, userMessage.id, "regenerate", target ?? null, null, options.contextOverflow ?? null, shown);
    } catch (error) {
      // Nothing started: the conversation shows the answer it showed.
      if (answer && store.tree.activeLeaf(conversationId) === userMessage.id && store.getMessage(answer.id)) store.setActiveVersion(answer.id);
      this.emitBranch(conversationId);
      throw error;
    }
  }

  /**
   * Continue a cut-off answer (stopped, interrupted, or at the output limit): a new version that starts with it and
   * goes on where it ended, written by the local model. The cut-off version stays.
   */
  async continueAnswer(conversationId: string, messageId: string): Promise<{ assistantMessageId: string }> {
    const { store } = this.deps;
    const conversation = store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    this.requireModel(conversation);
    const answer = this.requireMessage(conversationId, messageId);
    const userMessage = answer.parentId ? store.getMessage(answer.parentId) : null;
    if (answer.role !== "assistant" || userMessage?.role !== "user") throw new AppError("INVALID_INPUT", "Only an answer can be continued.");
    if (answer.answeredBy?.kind === "cloud") {
      throw new AppError("INVALID_INPUT", "Only an answer written on this machine can be continued. Regenerate a cloud answer instead.");
    }
    if (!canContinueAnswer(answer)) throw new AppError("INVALID_INPUT", "This answer is complete: there is nothing to continue.");
    this.supersede(conversationId);
    const continues = { messageId: answer.id, text: answer.content, reasoning: answer.reasoning };
    const result = await this.startTurn(conversationId, userMessage.id, "continue", "local", continues);
    return { assistantMessageId: result.assistantMessageId! };
  }

  /** Edit: the new text is a new version beside the edited message, then answered; the old branch stays. */
  async edit(conversationId: string, messageId: string, content: string): Promise<SendResult & { userMessage: Message }> {
    this.deps.store.requireConversation(conversationId);
    const edited = this.requireMessage(conversationId, messageId);
    if (edited.role !== "user") throw new AppError("INVALID_INPUT", "Only your own messages can be edited.");
    const result = await this.send(conversationId, content, false, edited.parentId ?? null);
    this.emitBranch(conversationId);
    return result;
  }

  /** Whether the answer being generated in this conversation is `messageId` or below it. */
  isGeneratingUnder(conversationId: string, messageId: string): boolean {
    const working = this.sessions.get(conversationId)?.workingOn;
    if (!working || !this.deps.store.getMessage(working)) return false;
    return this.deps.store.tree.pathTo(working).includes(messageId);
  }

  /** Tells every window which branch the conversation now shows (with the versions of each message). */
  emitBranch(conversationId: string): void {
    this.deps.emitChat({ type: "branch-changed", conversationId, messages: this.deps.store.listActiveBranch(conversationId) });
  }

  /** A message of this conversation; another conversation's id is refused the same as an unknown one. */
  requireMessage(conversationId: string, messageId: string): Message {
    const message = this.deps.store.getMessage(messageId);
    if (!message || message.conversationId !== conversationId) {
      throw new AppError("NOT_FOUND", "That message is not in this conversation (it may have been deleted).");
    }
    return message;
  }

  /** Ask mode: the user edited the payload; it is redacted again, so what is shown is what would go. */
  async revise(conversationId: string, proposalId: string, payload: PayloadMessage[]): Promise<EscalationProposal> {
    this.deps.store.requireConversation(conversationId);
    const session = this.requirePending(conversationId, proposalId);
    const outcome = await session.decide({ type: "edit", proposalId, payload });
    if (outcome.kind !== "approval") throw new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
    if (outcome.refusal) throw AppError.from(outcome.refusal);
    return outcome.proposal;
  }

  /**
   * The user's answer to a proposal. Send: if the request body would now differ from the one reviewed (a setting or
   * the provider changed), nothing is sent; the proposal is renewed and the user asked again. Keep local: the
   * refusal is audited (why it was held; no payload, nothing left) and the local model answers, or a cascade's
   * local answer simply stays.
   */
  async resolve(conversationId: string, proposalId: string, action: "send" | "keep-local"): Promise<{ assistantMessageId: string }> {
    const { store, escalation, egress } = this.deps;
    const conversation = store.requireConversation(conversationId);
    const session = this.requirePending(conversationId, proposalId);
    const pending = session.proposal!;
    // The answer goes under the message the proposal is about, even if the user looked at another branch meanwhile.
    if (!pending.replacesMessageId) this.showBranchTo(conversationId, pending.userMessageId);
    if (action === "keep-local") egress.recordDeclined(escalation.declinedEntry(pending, conversation));
    const outcome = await session.decide({ type: action === "send" ? "approve" : "reject", proposalId });
    return { assistantMessageId: answerOf(outcome) };
  }

  pending(conversationId: string): EscalationProposal | null {
    this.deps.store.requireConversation(conversationId);
    return this.sessions.get(conversationId)?.proposal ?? this.deps.store.pendingProposal(conversationId);
  }

  stop(conversationId: string): void {
    this.sessions.get(conversationId)?.stop();
  }

  async stopAll(): Promise<void> {
    const running = [...this.sessions.values()];
    for (const session of running) session.stop();
    await Promise.all(running.map((session) => session.settled()));
    // Saves a full disk refused, written now if there is room again.
    this.turns.flush();
  }

  async stopAndWait(conversationId: string): Promise<void> {
    const session = this.sessions.get(conversationId);
    if (!session) return;
    session.stop();
    await session.settled();
  }

  /** Before the conversation is deleted: its answer stops, and a proposal it waited on no longer applies. */
  async close(conversationId: string): Promise<void> {
    const session = this.sessions.get(conversationId);
    if (!session) return;
    session.stop();
    await session.settled();
    session.supersede();
    this.sessions.delete(conversationId);
  }

  /** After a delete: a pending proposal about a message that is gone no longer applies. */
  dropProposalAbout(conversationId: string, deleted: readonly string[]): void {
    const session = this.sessions.get(conversationId);
    const pending = session?.proposal;
    if (!session || !pending) return;
    if (!deleted.includes(pending.userMessageId) && !(pending.replacesMessageId && deleted.includes(pending.replacesMessageId))) return;
    session.supersede();
  }

  private async startTurn(
    conversationId: string,
    userMessageId: string,
    origin: TurnInput["origin"],
    forced: TurnInput["forced"],
    continues: TurnInput["continues"] = null,
    contextOverflow: TurnInput["contextOverflow"] = null,
    /** The answer shown in the new one's place (regenerate). */
    replaces: string | null = null,
  ): Promise<SendResult> {
    const { escalation, store } = this.deps;
    const conversation = store.requireConversation(conversationId);
    const model = this.requireModel(conversation);
    const provider = escalation.provider(conversation);
    const input: TurnInput = {
      turnId: randomUUID(),
      conversationId,
      userMessageId,
      origin,
      mode: escalation.effectiveMode(conversation),
      forced,
      askWhenUnsure: escalation.askWhenUnsure(),
      localModel: { id: model.id, name: model.name },
      provider: provider ? { id: provider.id, name: provider.name, model: provider.model } : null,
      continues,
      contextOverflow,
    };
    const { session, first } = TurnSession.start(this.sessionDeps(), input, replaces);
    // A turn that ended at once (a refused first save) has already let go of the conversation.
    if (!isTerminal(session.state)) this.sessions.set(conversationId, session);
    const outcome = await first;
    if (outcome.kind === "approval") return { assistantMessageId: null, proposal: outcome.proposal };
    if (outcome.kind === "attempt") return { assistantMessageId: outcome.attemptId, proposal: null };
    const { state } = outcome;
    if (state.phase === "failed") throw AppError.from(state.error);
    return { assistantMessageId: state.phase === "done" ? state.answerId : null, proposal: null };
  }

  private sessionDeps(): SessionDeps {
    return {
      ...this.deps,
      turns: this.turns,
      emitBranch: (conversationId) => this.emitBranch(conversationId),
      onEnded: (session) => {
        if (this.sessions.get(session.conversationId) === session) this.sessions.delete(session.conversationId);
      },
    };
  }

  /**
   * After a restart: every turn the app was killed in is taken up (see the turn machine's `recover`). Nothing
   * starts by itself: no generation resumes and nothing is sent; a proposal that waited still waits.
   */
  private recover(): void {
    const deps = this.sessionDeps();
    const states = this.turns.unfinished((id) => this.deps.logger?.warn("dropped a turn this version cannot read", { id }));
    for (const state of states) {
      try {
        const session = TurnSession.resume(deps, state);
        if (session) this.sessions.set(session.conversationId, session);
      } catch (error) {
        this.deps.logger?.error("could not take up an interrupted turn", { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (states.length > 0) this.deps.logger?.warn("turns interrupted by the last shutdown", { count: states.length });
  }

  /** The conversation moves on: a proposal still waiting (about an earlier message) no longer applies. */
  private supersede(conversationId: string): void {
    const session = this.sessions.get(conversationId);
    if (session?.proposal) {
      session.supersede();
      return;
    }
    // A proposal saved by a version before turns existed has no turn to end.
    const pending = session ? null : this.deps.store.pendingProposal(conversationId);
    if (pending) {
      this.deps.store.deleteProposal(conversationId);
      this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId: pending.id });
    }
  }

  private showBranchTo(conversationId: string, messageId: string): void {
    const { store } = this.deps;
    if (store.getMessage(messageId)?.conversationId !== conversationId || store.tree.activeLeaf(conversationId) === messageId) return;
    store.tree.setActiveLeaf(conversationId, messageId);
    this.emitBranch(conversationId);
  }

  private requirePending(conversationId: string, proposalId: string): TurnSession {
    const session = this.sessions.get(conversationId);
    if (!session || session.proposal?.id !== proposalId) {
      throw new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
    }
    return session;
  }

  private requireIdle(conversationId: string): void {
    if (this.isGenerating(conversationId)) {
      throw new AppError("BUSY", "This conversation is still answering. Stop it or wait for the answer to finish.", {
        retryable: true,
      });
    }
  }

  private requireModel(conversation: Conversation): LocalModel {
    const modelId = conversation.settings.modelId;
    if (!modelId) throw new AppError("NO_MODEL_SELECTED", "Choose a model for this conversation first.");
    return requireLocalModel(this.deps.store, modelId);
  }

}

/** The answer a decision led to: the attempt it started, or (a cascade kept local) the answer that stands. */
function answerOf(outcome: TurnOutcome): string {
  if (outcome.kind === "attempt") return outcome.attemptId;
  if (outcome.kind === "approval") {
    throw outcome.refusal ? AppError.from(outcome.refusal) : new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
  }
  const { state } = outcome;
  if (state.phase === "failed") throw AppError.from(state.error);
  if (state.phase === "done") return state.answerId;
  throw new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
}
