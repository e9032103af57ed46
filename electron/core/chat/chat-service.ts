import fs from "node:fs";
import {
  AppError,
  requestBodyOf,
  serializeError,
  type AuditReview,
  type ChatEvent,
  type Conversation,
  type EscalationProposal,
  type Message,
  type MessageStats,
  type PayloadMessage,
  type Provider,
  type RouterDecisionInfo,
} from "../../contract/index.js";
import { streamCloudChat } from "../cloud/cloud-chat.js";
import type { EgressGate } from "../cloud/egress.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import { createStreamingRestorer } from "../cloud/redact/redactor.js";
import type { Logger } from "../core-types.js";
import type { ContextUse, Engine } from "../engine/engine.js";
import type { AnsweredBy, Store } from "../store/store.js";
import { endAfterFailure, refuseSendOnDiskFull } from "./answer-failures.js";
import { createAnswerStream } from "./answer-stream.js";
import { auditReview, cascadeDecisionInfo, describeDecision, doubtCounts, type Escalation } from "./escalation.js";
import { titleFromPrompt } from "./title.js";

type Active = { controller: AbortController; messageId: string; done: Promise<void> };
type LocalModel = { id: string; path: string; name: string; parameters: number | null };
/** A local answer the router chose (not the user), to be checked for confidence once it is complete. */
type Cascade = { decision: RouterDecisionInfo; userMessageId: string };
/** A finished local answer a cloud answer is replacing: put back if the cloud answer fails or is stopped. */
type KeptAnswer = Pick<Message, "content" | "reasoning" | "stats" | "modelName">;

export type ChatDeps = {
  store: Store;
  engine: Engine;
  escalation: Escalation;
  providers: ProviderStore;
  egress: EgressGate;
  emitChat: (event: ChatEvent) => void;
  onConversationChanged: (conversation: Conversation) => void;
  cloudStallTimeoutMs?: number;
  logger?: Logger;
};

export type SendResult = { assistantMessageId: string | null; proposal: EscalationProposal | null };

/**
 * Turns user actions (send, regenerate, stop, escalation choices) into answers — local or, when the conversation's
 * privacy mode allows, from a cloud provider — persisted as they stream and sent to the UI as events.
 * A cloud failure never loses the user's message: the local model answers instead and the answer says why.
 */
export class ChatService {
  private readonly active = new Map<string, Active>();

  constructor(private readonly deps: ChatDeps) {}

  isGenerating(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /** Conversations whose answer is being generated with the given model. */
  conversationsUsingModel(modelId: string): string[] {
    return [...this.active.keys()].filter((id) => this.deps.store.getConversation(id)?.settings.modelId === modelId);
  }

  /** `parentId`: where the message goes in the tree (an edit: beside the edited one); by default after the active leaf. */
  async send(
    conversationId: string,
    text: string,
    escalate = false,
    parentId?: string | null,
  ): Promise<SendResult & { userMessage: Message }> {
    const { store } = this.deps;
    const conversation = this.deps.store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    const mode = this.deps.escalation.effectiveMode(conversation);
    if (escalate) this.requireCloudAllowed(conversation);

    this.dropCascadeProposal(conversationId);
    const isFirst = store.listMessages(conversationId).length === 0;
    const userMessage = refuseSendOnDiskFull(store, null, () =>
      store.addMessage({ conversationId, role: "user", content: text, status: "complete", ...(parentId !== undefined ? { parentId } : {}) }),
    );
    const started = refuseSendOnDiskFull(store, userMessage, () => {
      if (isFirst && conversation.title === "New chat") store.renameConversation(conversationId, titleFromPrompt(text));
      this.deps.onConversationChanged(store.getConversation(conversationId)!);
      if (mode === "local") return Promise.resolve(this.startLocal(conversationId, model, "Local only: nothing leaves this machine"));
      return this.answerOrPropose(conversationId, model, userMessage.id, escalate ? "cloud" : null);
    });
    // The preview's request body is built asynchronously; a full disk after that is refused as a whole too.
    const result = await started.catch((error: unknown) =>
      refuseSendOnDiskFull(store, userMessage, () => {
        throw error;
      }),
    );
    return { userMessage, ...result };
  }

  /**
   * In Ask/Auto mode: route (unless the user chose), then answer locally, propose (Ask) or send (Auto).
   * `forced` is the user's own choice of target.
   */
  private async answerOrPropose(
    conversationId: string,
    model: LocalModel,
    userMessageId: string,
    forced: "local" | "cloud" | null,
  ): Promise<SendResult> {
    const { store, escalation } = this.deps;
    const conversation = this.deps.store.requireConversation(conversationId);
    const mode = escalation.effectiveMode(conversation);
    const history = store.listMessages(conversationId);
    const prompt = history.at(-1)?.content ?? "";
    let decision: RouterDecisionInfo | null = null;
    if (forced === null) {
      try {
        decision = escalation.route(prompt, history.slice(0, -1), model.parameters);
      } catch (error) {
        this.deps.logger?.error("router failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
    const wantCloud = forced === "cloud" || (forced === null && decision?.target === "cloud");
    if (!wantCloud || mode === "local") {
      const reason = forced === "local" ? "You kept this answer local" : describeDecision(decision, "The local model is enough for this");
      // Cascade: a local answer the router chose is checked once complete, if there is a cloud to propose.
      // Only then does the engine record token confidences; answers the user kept local never pay for it.
      const cascade =
        forced === null && decision !== null && mode !== "local" && escalation.provider(conversation) !== null
          ? { decision, userMessageId }
          : null;
      return this.startLocal(conversationId, model, reason, cascade);
    }
    const provider = escalation.provider(conversation);
    if (!provider) {
      if (forced === "cloud") escalation.requireProvider(conversation);
      return this.startLocal(conversationId, model, `${describeDecision(decision, "Proposed for the cloud")}, but no cloud provider is set up`);
    }
    const proposed = await escalation.propose({ conversation, history, userMessageId, provider, router: decision });
    // Auto asks, for this message only, when the redactor is not sure it hid everything; the mode stays Auto.
    const proposal = this.askIfUnsure(mode, proposed);
    if (mode === "ask" || proposal.askedBecauseUnsure) {
      store.saveProposal(proposal);
      this.deps.emitChat({ type: "escalation-proposed", conversationId, proposal });
      return { assistantMessageId: null, proposal };
    }
    const reason = forced === "cloud" ? "You asked for the cloud" : describeDecision(decision, "Auto mode");
    // Building the request body awaited; another answer may have started meanwhile.
    this.requireIdle(conversationId);
    return { assistantMessageId: this.startCloud(conversationId, model, provider, proposal, reason).id, proposal: null };
  }

  async regenerate(conversationId: string, messageId?: string, target?: "local" | "cloud"): Promise<SendResult> {
    const { store } = this.deps;
    const conversation = this.deps.store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    if (target === "cloud") this.requireCloudAllowed(conversation);
    const answer = messageId ? this.requireMessage(conversationId, messageId) : store.listMessages(conversationId).at(-1);
    const userMessage = answer?.parentId ? store.getMessage(answer.parentId) : null;
    if (!answer || answer.role !== "assistant" || userMessage?.role !== "user") {
      throw new AppError("INVALID_INPUT", "Only an answer to one of your messages can be regenerated.");
    }
    this.dropCascadeProposal(conversationId);
    // The new answer is a sibling of the old one (which stays as a version): it follows the branch up to their user
    // message, so the context is what the old answer saw, whichever branch the conversation showed.
    store.tree.setActiveLeaf(conversationId, userMessage.id);
    const mode = this.deps.escalation.effectiveMode(conversation);
    try {
      const result =
        mode === "local"
          ? this.startLocal(conversationId, model, "Local only: nothing leaves this machine")
          : await this.answerOrPropose(conversationId, model, userMessage.id, target ?? null);
      this.emitBranch(conversationId);
      return result;
    } catch (error) {
      // Nothing started: the conversation shows the answer it showed.
      if (store.tree.activeLeaf(conversationId) === userMessage.id && store.getMessage(answer.id)) store.setActiveVersion(answer.id);
      throw error;
    }
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
    const active = this.active.get(conversationId);
    if (!active || !this.deps.store.getMessage(active.messageId)) return false;
    return this.deps.store.tree.pathTo(active.messageId).includes(messageId);
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

  /** Ask mode: the user edited the payload; redact it again so what is shown is what would go. */
  async revise(conversationId: string, proposalId: string, payload: PayloadMessage[]): Promise<EscalationProposal> {
    const { store, escalation } = this.deps;
    const conversation = this.deps.store.requireConversation(conversationId);
    const pending = this.requirePending(conversationId, proposalId);
    const provider = escalation.requireProvider(conversation);
    const proposal = await escalation.propose({
      conversation,
      history: [],
      userMessageId: pending.userMessageId,
      provider,
      router: pending.router,
      edited: payload,
    });
    this.requirePending(conversationId, proposalId);
    // Still the answer to Auto's question (and why it asked): the send is recorded as approved after asking, edited.
    const revised = { ...proposal, edited: true, ...(pending.askedBecauseUnsure ? { askedBecauseUnsure: true, heldFor: pending.heldFor ?? [] } : {}) };
    store.saveProposal(revised);
    return revised;
  }

  /** In Auto mode, a proposal with doubts is asked about (unless the user turned that off and no policy forces it). */
  private askIfUnsure(mode: string, proposal: EscalationProposal): EscalationProposal {
    const unsure = mode === "auto" && (proposal.doubts?.length ?? 0) > 0 && this.deps.escalation.askWhenUnsure();
    return unsure ? { ...proposal, askedBecauseUnsure: true, heldFor: doubtCounts(proposal.doubts) } : proposal;
  }

  async resolve(conversationId: string, proposalId: string, action: "send" | "keep-local"): Promise<{ assistantMessageId: string }> {
    if (action === "send") await this.refuseChangedRequest(conversationId, proposalId);
    const { store } = this.deps;
    const conversation = this.deps.store.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const pending = this.requirePending(conversationId, proposalId);
    const model = this.requireModel(conversation);
    const replacing = pending.replacesMessageId ? store.listMessages(conversationId).at(-1) : undefined;
    store.deleteProposal(conversationId);
    this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId });
    if (pending.replacesMessageId && replacing?.id !== pending.replacesMessageId) {
      throw new AppError("NOT_FOUND", "The answer this proposal would replace is no longer the last one. Nothing was sent.");
    }
    // The answer goes under the message the proposal is about, even if the user looked at another branch meanwhile.
    if (!pending.replacesMessageId) this.showBranchTo(conversationId, pending.userMessageId);
    if (action === "keep-local") {
      // The refusal is audited too (why it was held, no payload: nothing left).
      this.deps.egress.recordDeclined(this.deps.escalation.declinedEntry(pending, conversation));
      // Cascade: the local answer is already there and stays as it is.
      if (replacing) return { assistantMessageId: replacing.id };
      return { assistantMessageId: this.startLocal(conversationId, model, "You kept this answer local").assistantMessageId! };
    }
    this.requireCloudAllowed(conversation);
    const provider = this.deps.providers.get(pending.providerId);
    if (!provider) throw new AppError("NO_PROVIDER", "That cloud provider was removed. Choose another in Settings.");
    const reason = pending.router ? describeDecision(pending.router, "You approved sending it") : "You asked for the cloud";
    const approved = pending.askedBecauseUnsure ? "approved after Hearth asked: it was not sure it hid everything" : "approved";
    const review = auditReview(pending, "sent");
    return { assistantMessageId: this.startCloud(conversationId, model, provider, pending, `${reason} (${approved})`, replacing, review).id };
  }

  /**
   * Send in Ask mode: if the request body would now differ from the one the user reviewed (the temperature, the
   * output limit or the provider changed since), nothing is sent; the proposal is renewed with the new body and the
   * user asked again.
   */
  private async refuseChangedRequest(conversationId: string, proposalId: string): Promise<void> {
    const { store, escalation } = this.deps;
    const pending = this.requirePending(conversationId, proposalId);
    const provider = this.deps.providers.get(pending.providerId);
    if (!provider) return;
    const renewed = await escalation.renewIfChanged(pending, this.deps.store.requireConversation(conversationId), provider);
    if (!renewed) return;
    this.requirePending(conversationId, proposalId);
    store.saveProposal(renewed);
    this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId });
    this.deps.emitChat({ type: "escalation-proposed", conversationId, proposal: renewed });
    throw new AppError(
      "EGRESS_BLOCKED",
      `What would be sent to ${provider.name} changed since you reviewed it (a setting or the provider changed). Nothing was sent: review the updated preview and send again.`,
    );
  }

  pending(conversationId: string): EscalationProposal | null {
    this.deps.store.requireConversation(conversationId);
    return this.deps.store.pendingProposal(conversationId);
  }

  stop(conversationId: string): void {
    this.active.get(conversationId)?.controller.abort();
  }

  async stopAll(): Promise<void> {
    const running = [...this.active.values()];
    for (const entry of running) entry.controller.abort();
    await Promise.all(running.map((entry) => entry.done));
  }

  async stopAndWait(conversationId: string): Promise<void> {
    const entry = this.active.get(conversationId);
    if (!entry) return;
    entry.controller.abort();
    await entry.done;
  }

  /** After a delete: a pending proposal about a message that is gone no longer applies. */
  dropProposalAbout(conversationId: string, deleted: readonly string[]): void {
    const pending = this.deps.store.pendingProposal(conversationId);
    if (!pending) return;
    if (!deleted.includes(pending.userMessageId) && !(pending.replacesMessageId && deleted.includes(pending.replacesMessageId))) return;
    this.deps.store.deleteProposal(conversationId);
    this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId: pending.id });
  }

  private showBranchTo(conversationId: string, messageId: string): void {
    const { store } = this.deps;
    if (store.getMessage(messageId)?.conversationId !== conversationId || store.tree.activeLeaf(conversationId) === messageId) return;
    store.tree.setActiveLeaf(conversationId, messageId);
    this.emitBranch(conversationId);
  }

  /** A cascade proposal is about the last answer: once the conversation moves on, it no longer applies. */
  private dropCascadeProposal(conversationId: string): void {
    const pending = this.deps.store.pendingProposal(conversationId);
    if (!pending?.replacesMessageId) return;
    this.deps.store.deleteProposal(conversationId);
    this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId: pending.id });
  }

  private requirePending(conversationId: string, proposalId: string): EscalationProposal {
    const pending = this.deps.store.pendingProposal(conversationId);
    if (!pending || pending.id !== proposalId) {
      throw new AppError("NOT_FOUND", "That proposal is no longer pending. Send the message again.");
    }
    return pending;
  }

  private requireCloudAllowed(conversation: Conversation): void {
    const mode = this.deps.escalation.effectiveMode(conversation);
    if (mode === "local") {
      throw new AppError(
        "EGRESS_BLOCKED",
        this.deps.escalation.effectiveMode(conversation) !== conversation.settings.privacyMode
          ? "Your organisation's policy keeps this conversation on this machine."
          : "This conversation is Local only: nothing leaves this machine. Switch it to Ask or Auto first.",
      );
    }
  }

  private requireIdle(conversationId: string): void {
    if (this.active.has(conversationId)) {
      throw new AppError("BUSY", "This conversation is still answering. Stop it or wait for the answer to finish.", {
        retryable: true,
      });
    }
  }

  private requireModel(conversation: Conversation): LocalModel {
    const modelId = conversation.settings.modelId;
    if (!modelId) throw new AppError("NO_MODEL_SELECTED", "Choose a model for this conversation first.");
    const model = this.deps.store.getModel(modelId);
    if (!model) throw new AppError("MODEL_NOT_FOUND", "The model of this conversation was removed. Choose another.");
    if (!fs.existsSync(model.path)) {
      throw new AppError(
        "MODEL_FILE_MISSING",
        `The file of ${model.name} is gone from ${model.path}. Import it again or choose another model.`,
      );
    }
    return { id: model.id, path: model.path, name: model.name, parameters: model.parameters };
  }

  /**
   * Creates the streaming assistant message (or, for a cascade, restarts the local answer it replaces, so the
   * conversation never shows both) and registers it as this conversation's active answer.
   */
  private begin(conversationId: string, model: LocalModel, answeredBy: AnsweredBy, replacing?: Message) {
    const all = this.deps.store.listMessages(conversationId);
    const history = replacing ? all.slice(0, all.findIndex((m) => m.id === replacing.id)) : all;
    const modelName = answeredBy.kind === "cloud" ? `${answeredBy.provider} ${answeredBy.model}` : model.name;
    const messageId = replacing
      ? replacing.id
      : this.deps.store.addMessage({ conversationId, role: "assistant", content: "", status: "streaming", modelId: model.id, modelName }).id;
    const message = this.restart(messageId, answeredBy, modelName);
    const controller = new AbortController();
    const entry: Active = { controller, messageId, done: Promise.resolve() };
    this.active.set(conversationId, entry);
    this.deps.emitChat({ type: "message-start", conversationId, message });
    const release = () => {
      if (this.active.get(conversationId) === entry) this.active.delete(conversationId);
    };
    return { message, history, entry, signal: controller.signal, release };
  }

  private answerStream(conversationId: string, messageId: string) {
    return createAnswerStream(this.deps.store, this.deps.emitChat, conversationId, messageId, {
      // The disk is full: stop generating; the answer ends saying so.
      onSaveFailed: () => this.stop(conversationId),
      logger: this.deps.logger,
    });
  }

  /** An empty streaming message with a new author (the renderer replaces it by id on the next message-start). */
  private restart(messageId: string, answeredBy: AnsweredBy, modelName: string): Message {
    const { store } = this.deps;
    store.finishMessage(messageId, { content: "", reasoning: "", status: "streaming", stats: null, error: null });
    store.setAnsweredBy(messageId, answeredBy, modelName);
    return store.getMessage(messageId)!;
  }

  private startLocal(conversationId: string, model: LocalModel, reason: string, cascade: Cascade | null = null): SendResult {
    const answeredBy: AnsweredBy = { kind: "local", provider: null, model: model.name, reason, failover: false };
    const { message, history, entry, signal, release } = this.begin(conversationId, model, answeredBy);
    entry.done = this.runLocal(conversationId, message, model, history, signal, release, cascade)
      .catch((error: unknown) => endAfterFailure(this.deps, conversationId, message.id, error, release))
      .finally(release);
    return { assistantMessageId: message.id, proposal: null };
  }

  private startCloud(
    conversationId: string,
    model: LocalModel,
    provider: Provider,
    proposal: EscalationProposal,
    reason: string,
    replacing?: Message,
    /** Held for approval first: kept with the audit entry of what leaves. */
    review: AuditReview | null = null,
  ): Message {
    const answeredBy: AnsweredBy = { kind: "cloud", provider: provider.name, model: provider.model, reason, failover: false };
    const kept = replacing ? keptAnswer(replacing) : null;
    const { message, history, entry, signal, release } = this.begin(conversationId, model, answeredBy, replacing);
    entry.done = this.runCloud(conversationId, message, model, provider, proposal, history, signal, release, kept, review)
      .catch((error: unknown) => endAfterFailure(this.deps, conversationId, message.id, error, release))
      .finally(release);
    return message;
  }

  private async runCloud(
    conversationId: string,
    assistant: Message,
    model: LocalModel,
    provider: Provider,
    proposal: EscalationProposal,
    history: Message[],
    signal: AbortSignal,
    release: () => void,
    /** Cascade: the local answer this one replaces, put back if the cloud answer fails or is stopped. */
    kept: KeptAnswer | null = null,
    review: AuditReview | null = null,
  ): Promise<void> {
    const { store, escalation, egress } = this.deps;
    const conversation = store.getConversation(conversationId)!;
    const restorer = createStreamingRestorer(escalation.placeholderMap(conversationId));
    const stream = this.answerStream(conversationId, assistant.id);
    try {
      const result = await streamCloudChat({
        provider,
        apiKey: this.deps.providers.apiKey(provider.id),
        payload: proposal.payload,
        // The body the preview showed: a send that would differ is refused before anything leaves.
        expectedBody: requestBodyOf(proposal),
        temperature: conversation.settings.temperature,
        maxOutputTokens: conversation.settings.maxOutputTokens,
        signal,
        fetch: egress.chatFetch({
          conversationId,
          conversationTitle: escalation.redactedTitle(conversation),
          privacyMode: escalation.effectiveMode(conversation),
          provider,
          purpose: "chat",
          review,
        }),
        onTextDelta: (delta) => stream.text(restorer.push(delta)),
        stallTimeoutMs: this.deps.cloudStallTimeoutMs,
      });
      stream.text(restorer.flush());
      const stats = { timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens: result.tokensOut ?? 0, evaluatedInputTokens: result.tokensIn ?? 0, loadMs: null };
      stream.finish("complete", stats, null, release);
    } catch (error) {
      stream.text(restorer.flush());
      if (stream.saveFailed()) {
        // Stopped because the disk is full: neither a failover nor putting an answer back can be saved.
        stream.finish("error", null, null, release);
        return;
      }
      const why = error instanceof AppError ? error.message : "The cloud provider failed.";
      if (kept) {
        stream.flush();
        this.putBack(conversationId, assistant.id, kept, model, signal.aborted ? null : `${provider.name} failed (${why})`, release);
        return;
      }
      if (signal.aborted) {
        stream.finish("stopped", null, null, release);
        return;
      }
      stream.flush();
      // Failover: the local model answers in the same message (started afresh), which says why.
      this.deps.logger?.warn("cloud answer failed; answering locally", {
        provider: provider.kind,
        code: error instanceof AppError ? error.code : "INTERNAL",
      });
      const answeredBy: AnsweredBy = { kind: "local", provider: null, model: model.name, reason: `${provider.name} failed (${why}) — answered locally`, failover: true };
      store.setAnsweredBy(assistant.id, answeredBy, model.name);
      store.saveProgress(assistant.id, "", "");
      this.deps.emitChat({ type: "message-start", conversationId, message: store.getMessage(assistant.id)! });
      await this.runLocal(conversationId, assistant, model, history, signal, release);
    }
  }

  /** Cascade: the cloud answer failed or was stopped, so the local answer it was replacing comes back unchanged. */
  private putBack(conversationId: string, messageId: string, kept: KeptAnswer, model: LocalModel, failure: string | null, release: () => void) {
    const reason = failure ? `${failure} — kept the local answer` : "You stopped the cloud answer — kept the local answer";
    const answeredBy: AnsweredBy = { kind: "local", provider: null, model: model.name, reason, failover: failure !== null };
    const message = this.restart(messageId, answeredBy, kept.modelName ?? model.name);
    this.deps.emitChat({ type: "message-start", conversationId, message });
    const stream = this.answerStream(conversationId, messageId);
    stream.reasoning(kept.reasoning);
    stream.text(kept.content);
    stream.finish("complete", kept.stats, null, release);
  }

  /**
   * Cascade, after a complete local answer the router chose: if it looks unsure, Ask saves a proposal to replace
   * it and Auto sends to the cloud right away, in the same message. Returns false when the local answer stands.
   * Decided before the conversation is released, so no new message can slip in between.
   */
  private async escalateUnsure(
    conversationId: string,
    assistant: Message,
    model: LocalModel,
    history: Message[],
    cascade: Cascade,
    local: KeptAnswer & { confidences: number[] },
    signal: AbortSignal,
    release: () => void,
    /** Ends the local answer as complete (the streamer's finish). */
    finishLocal: () => void,
    /** Delivers the local answer's pending deltas before the message is restarted. */
    flushLocal: () => void,
  ): Promise<boolean> {
    const { store, escalation } = this.deps;
    const conversation = store.getConversation(conversationId);
    // The mode or the provider may have changed while the local model answered.
    const mode = conversation ? escalation.effectiveMode(conversation) : "local";
    const provider = conversation && mode !== "local" ? escalation.provider(conversation) : null;
    if (!conversation || !provider) return false;
    let router: RouterDecisionInfo;
    let proposal: EscalationProposal;
    try {
      const verdict = escalation.judgeLocalAnswer(local.confidences);
      if (!verdict.escalate) return false;
      router = cascadeDecisionInfo(cascade.decision, verdict.reason);
      const proposed = await escalation.propose({
        conversation,
        history,
        userMessageId: cascade.userMessageId,
        provider,
        router,
        replacesMessageId: assistant.id,
      });
      proposal = this.askIfUnsure(mode, proposed);
    } catch (error) {
      // The local answer is complete and stands; the cascade is only ever an offer.
      this.deps.logger?.error("cascade check failed", { error: error instanceof Error ? error.message : String(error) });
      return false;
    }
    if (mode === "ask" || proposal.askedBecauseUnsure) {
      store.saveProposal(proposal);
      finishLocal();
      this.deps.emitChat({ type: "escalation-proposed", conversationId, proposal });
      return true;
    }
    flushLocal();
    const reason = `Sent to the cloud after a local answer: ${router.reasons[0]}`;
    const answeredBy: AnsweredBy = { kind: "cloud", provider: provider.name, model: provider.model, reason, failover: false };
    const message = this.restart(assistant.id, answeredBy, `${provider.name} ${provider.model}`);
    this.deps.emitChat({ type: "message-start", conversationId, message });
    await this.runCloud(conversationId, message, model, provider, proposal, history, signal, release, local);
    return true;
  }

  private async runLocal(
    conversationId: string,
    assistant: Message,
    model: LocalModel,
    history: Message[],
    signal: AbortSignal,
    /** Called before the finish event, so a listener can send the next message right away. */
    release: () => void,
    cascade: Cascade | null = null,
  ): Promise<void> {
    const conversation = this.deps.store.getConversation(conversationId)!;
    const stream = this.answerStream(conversationId, assistant.id);
    try {
      const result = await this.deps.engine.generate({
        model,
        conversationId,
        contextSize: conversation.settings.contextSize,
        // The engine builds the prompt with the context builder (the model's tokenizer, oldest turns dropped at the limit).
        prompt: { systemPrompt: conversation.settings.systemPrompt, branch: history },
        temperature: conversation.settings.temperature,
        maxOutputTokens: conversation.settings.maxOutputTokens,
        signal,
        onTextDelta: (delta) => stream.text(delta),
        onReasoningDelta: (delta) => stream.reasoning(delta),
        collectConfidence: cascade !== null,
      });
      const status = result.stopReason === "abort" ? "stopped" : "complete";
      const stats = statsWithContext(result.stats, result.context);
      if (cascade && status === "complete" && result.confidences && !signal.aborted) {
        const local = { ...stream.answer(), stats, modelName: assistant.modelName, confidences: result.confidences };
        const finishLocal = () => stream.finish("complete", stats, null, release);
        if (await this.escalateUnsure(conversationId, assistant, model, history, cascade, local, signal, release, finishLocal, stream.flush)) {
          return;
        }
      }
      stream.finish(status, stats, null, release);
    } catch (error) {
      const aborted = signal.aborted;
      if (!(error instanceof AppError)) this.deps.logger?.error("answer failed", { error: String(error) });
      stream.finish(aborted ? "stopped" : "error", null, aborted ? null : serializeError(error), release);
    }
  }
}

/** An answer whose prompt left the oldest messages out keeps what went with its stats: the conversation shows it. */
function statsWithContext(stats: MessageStats, context: ContextUse): MessageStats {
  if (context.dropped.count === 0) return stats;
  const { dropped, usedTokens, budgetTokens } = context;
  return { ...stats, context: { droppedCount: dropped.count, firstKeptMessageId: dropped.firstKeptMessageId, usedTokens, budgetTokens } };
}

function keptAnswer(message: Message): KeptAnswer {
  return { content: message.content, reasoning: message.reasoning, stats: message.stats, modelName: message.modelName };
}
