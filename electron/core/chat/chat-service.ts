import fs from "node:fs";
import {
  AppError,
  serializeError,
  type ChatEvent,
  type Conversation,
  type EscalationProposal,
  type Message,
  type PayloadMessage,
  type Provider,
  type RouterDecisionInfo,
} from "../../contract/index.js";
import { streamCloudChat } from "../cloud/cloud-chat.js";
import type { EgressGate } from "../cloud/egress.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import { createStreamingRestorer } from "../cloud/redact/redactor.js";
import type { Logger } from "../core-types.js";
import type { Engine } from "../engine/engine.js";
import type { AnsweredBy, Store } from "../store/store.js";
import { DeltaBatcher } from "./delta-batcher.js";
import { describeDecision, type Escalation } from "./escalation.js";
import { titleFromPrompt } from "./title.js";
import { toTurns } from "./turns.js";

export { toTurns } from "./turns.js";

/** How often a streaming answer is written to disk: a crash loses at most this much of it. */
const SAVE_EVERY_MS = 250;

type Active = { controller: AbortController; messageId: string; done: Promise<void> };
type LocalModel = { id: string; path: string; name: string; parameters: number | null };

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

  send(conversationId: string, text: string, escalate = false): SendResult & { userMessage: Message } {
    const { store } = this.deps;
    const conversation = this.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    const mode = this.deps.escalation.effectiveMode(conversation);
    if (escalate) this.requireCloudAllowed(conversation);

    const isFirst = store.listMessages(conversationId).length === 0;
    const userMessage = store.addMessage({ conversationId, role: "user", content: text, status: "complete" });
    if (isFirst && conversation.title === "New chat") store.renameConversation(conversationId, titleFromPrompt(text));
    this.deps.onConversationChanged(store.getConversation(conversationId)!);

    if (mode === "local") {
      return { userMessage, ...this.startLocal(conversationId, model, "Local only: nothing leaves this machine") };
    }
    return { userMessage, ...this.answerOrPropose(conversationId, model, userMessage.id, escalate ? "cloud" : null) };
  }

  /**
   * In Ask/Auto mode: route (unless the user chose), then answer locally, propose (Ask) or send (Auto).
   * `forced` is the user's own choice of target.
   */
  private answerOrPropose(
    conversationId: string,
    model: LocalModel,
    userMessageId: string,
    forced: "local" | "cloud" | null,
  ): SendResult {
    const { store, escalation } = this.deps;
    const conversation = this.requireConversation(conversationId);
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
      return this.startLocal(conversationId, model, reason);
    }
    const provider = escalation.provider(conversation);
    if (!provider) {
      if (forced === "cloud") escalation.requireProvider(conversation);
      return this.startLocal(conversationId, model, `${describeDecision(decision, "Proposed for the cloud")}, but no cloud provider is set up`);
    }
    const proposal = escalation.propose({ conversation, history, userMessageId, provider, router: decision });
    if (mode === "ask") {
      store.saveProposal(proposal);
      this.deps.emitChat({ type: "escalation-proposed", conversationId, proposal });
      return { assistantMessageId: null, proposal };
    }
    const reason = forced === "cloud" ? "You asked for the cloud" : describeDecision(decision, "Auto mode");
    return { assistantMessageId: this.startCloud(conversationId, model, provider, proposal, reason).id, proposal: null };
  }

  regenerate(conversationId: string, messageId?: string, target?: "local" | "cloud"): SendResult {
    const { store } = this.deps;
    const conversation = this.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    if (target === "cloud") this.requireCloudAllowed(conversation);
    const messages = store.listMessages(conversationId);
    const last = messages.at(-1);
    if (!last || last.role !== "assistant" || (messageId && last.id !== messageId)) {
      throw new AppError("INVALID_INPUT", "Only the last answer of a conversation can be regenerated.");
    }
    const userMessage = messages.findLast((m) => m.role === "user");
    store.deleteMessage(last.id);
    const mode = this.deps.escalation.effectiveMode(conversation);
    if (mode === "local" || !userMessage) {
      return this.startLocal(conversationId, model, "Local only: nothing leaves this machine");
    }
    return this.answerOrPropose(conversationId, model, userMessage.id, target ?? null);
  }

  /** Ask mode: the user edited the payload; redact it again so what is shown is what would go. */
  revise(conversationId: string, proposalId: string, payload: PayloadMessage[]): EscalationProposal {
    const { store, escalation } = this.deps;
    const conversation = this.requireConversation(conversationId);
    const pending = this.requirePending(conversationId, proposalId);
    const provider = escalation.requireProvider(conversation);
    const proposal = escalation.propose({
      conversation,
      history: [],
      userMessageId: pending.userMessageId,
      provider,
      router: pending.router,
      edited: payload,
    });
    store.saveProposal(proposal);
    return proposal;
  }

  resolve(conversationId: string, proposalId: string, action: "send" | "keep-local"): { assistantMessageId: string } {
    const { store } = this.deps;
    const conversation = this.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const pending = this.requirePending(conversationId, proposalId);
    const model = this.requireModel(conversation);
    store.deleteProposal(conversationId);
    this.deps.emitChat({ type: "escalation-resolved", conversationId, proposalId });
    if (action === "keep-local") {
      return { assistantMessageId: this.startLocal(conversationId, model, "You kept this answer local").assistantMessageId! };
    }
    this.requireCloudAllowed(conversation);
    const provider = this.deps.providers.get(pending.providerId);
    if (!provider) throw new AppError("NO_PROVIDER", "That cloud provider was removed. Choose another in Settings.");
    const reason = pending.router ? describeDecision(pending.router, "You approved sending it") : "You asked for the cloud";
    return { assistantMessageId: this.startCloud(conversationId, model, provider, pending, `${reason} (approved)`).id };
  }

  pending(conversationId: string): EscalationProposal | null {
    this.requireConversation(conversationId);
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

  private requireConversation(id: string): Conversation {
    const conversation = this.deps.store.getConversation(id);
    if (!conversation) throw new AppError("NOT_FOUND", "That conversation no longer exists.");
    return conversation;
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

  /** Creates the streaming assistant message and registers it as this conversation's active answer. */
  private begin(conversationId: string, model: LocalModel, answeredBy: AnsweredBy) {
    const history = this.deps.store.listMessages(conversationId);
    const assistant = this.deps.store.addMessage({
      conversationId,
      role: "assistant",
      content: "",
      status: "streaming",
      modelId: model.id,
      modelName: answeredBy.kind === "cloud" ? `${answeredBy.provider} ${answeredBy.model}` : model.name,
    });
    this.deps.store.setAnsweredBy(assistant.id, answeredBy);
    const message = this.deps.store.getMessage(assistant.id)!;
    const controller = new AbortController();
    const entry: Active = { controller, messageId: assistant.id, done: Promise.resolve() };
    this.active.set(conversationId, entry);
    this.deps.emitChat({ type: "message-start", conversationId, message });
    const release = () => {
      if (this.active.get(conversationId) === entry) this.active.delete(conversationId);
    };
    return { message, history, entry, signal: controller.signal, release };
  }

  private startLocal(conversationId: string, model: LocalModel, reason: string): SendResult {
    const answeredBy: AnsweredBy = { kind: "local", provider: null, model: model.name, reason, failover: false };
    const { message, history, entry, signal, release } = this.begin(conversationId, model, answeredBy);
    entry.done = this.runLocal(conversationId, message, model, history, signal, release).finally(release);
    return { assistantMessageId: message.id, proposal: null };
  }

  private startCloud(
    conversationId: string,
    model: LocalModel,
    provider: Provider,
    proposal: EscalationProposal,
    reason: string,
  ): Message {
    const answeredBy: AnsweredBy = { kind: "cloud", provider: provider.name, model: provider.model, reason, failover: false };
    const { message, history, entry, signal, release } = this.begin(conversationId, model, answeredBy);
    entry.done = this.runCloud(conversationId, message, model, provider, proposal, history, signal, release).finally(release);
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
  ): Promise<void> {
    const { store, escalation, egress } = this.deps;
    const conversation = store.getConversation(conversationId)!;
    const restorer = createStreamingRestorer(escalation.placeholderMap(conversationId));
    const stream = this.streamer(conversationId, assistant.id);
    try {
      const result = await streamCloudChat({
        provider,
        apiKey: this.deps.providers.apiKey(provider.id),
        payload: proposal.payload,
        temperature: conversation.settings.temperature,
        maxOutputTokens: conversation.settings.maxOutputTokens,
        signal,
        fetch: egress.chatFetch({
          conversationId,
          conversationTitle: conversation.title,
          privacyMode: escalation.effectiveMode(conversation),
          provider,
          purpose: "chat",
        }),
        onTextDelta: (delta) => stream.text(restorer.push(delta)),
        stallTimeoutMs: this.deps.cloudStallTimeoutMs,
      });
      stream.text(restorer.flush());
      const stats = { timeToFirstTokenMs: null, tokensPerSecond: null, outputTokens: result.tokensOut ?? 0, evaluatedInputTokens: result.tokensIn ?? 0, loadMs: null };
      stream.finish("complete", stats, null, release);
    } catch (error) {
      stream.text(restorer.flush());
      if (signal.aborted) {
        stream.finish("stopped", null, null, release);
        return;
      }
      stream.flush();
      // Failover: the local model answers in the same message (started afresh), which says why.
      const why = error instanceof AppError ? error.message : "The cloud provider failed.";
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

  private async runLocal(
    conversationId: string,
    assistant: Message,
    model: LocalModel,
    history: Message[],
    signal: AbortSignal,
    /** Called before the finish event, so a listener can send the next message right away. */
    release: () => void,
  ): Promise<void> {
    const conversation = this.deps.store.getConversation(conversationId)!;
    const stream = this.streamer(conversationId, assistant.id);
    try {
      const result = await this.deps.engine.generate({
        model,
        conversationId,
        contextSize: conversation.settings.contextSize,
        systemPrompt: conversation.settings.systemPrompt,
        turns: toTurns(history),
        temperature: conversation.settings.temperature,
        maxOutputTokens: conversation.settings.maxOutputTokens,
        signal,
        onTextDelta: (delta) => stream.text(delta),
        onReasoningDelta: (delta) => stream.reasoning(delta),
      });
      stream.finish(result.stopReason === "abort" ? "stopped" : "complete", result.stats, null, release);
    } catch (error) {
      const aborted = signal.aborted;
      if (!(error instanceof AppError)) this.deps.logger?.error("answer failed", { error: String(error) });
      stream.finish(aborted ? "stopped" : "error", null, aborted ? null : serializeError(error), release);
    }
  }

  /** Accumulates an answer, batches its deltas to the UI and saves it every few hundred ms. */
  private streamer(conversationId: string, messageId: string) {
    const { store, emitChat } = this.deps;
    let text = "";
    let reasoning = "";
    let lastSave = Date.now();
    const saveIfDue = () => {
      if (Date.now() - lastSave < SAVE_EVERY_MS) return;
      lastSave = Date.now();
      store.saveProgress(messageId, text, reasoning);
    };
    const textBatcher = new DeltaBatcher((delta) => emitChat({ type: "text-delta", conversationId, messageId, text: delta }));
    const reasoningBatcher = new DeltaBatcher((delta) =>
      emitChat({ type: "reasoning-delta", conversationId, messageId, text: delta }),
    );
    return {
      text(delta: string) {
        if (!delta) return;
        text += delta;
        textBatcher.push(delta);
        saveIfDue();
      },
      reasoning(delta: string) {
        if (!delta) return;
        reasoning += delta;
        reasoningBatcher.push(delta);
        saveIfDue();
      },
      /** Delivers pending deltas now (before the message is restarted for a failover). */
      flush() {
        reasoningBatcher.flush();
        textBatcher.flush();
      },
      finish(
        status: "complete" | "stopped" | "error",
        stats: Message["stats"],
        error: Message["error"],
        release: () => void,
      ) {
        reasoningBatcher.flush();
        textBatcher.flush();
        store.finishMessage(messageId, { content: text, reasoning, status, stats, error });
        release();
        emitChat({ type: "message-finish", conversationId, messageId, status, stats, error });
      },
    };
  }
}
