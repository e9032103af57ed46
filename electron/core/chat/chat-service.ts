import fs from "node:fs";
import { AppError, serializeError, type ChatEvent, type Conversation, type Message } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import type { ChatTurn, Engine } from "../engine/engine.js";
import type { Store } from "../store/store.js";
import { DeltaBatcher } from "./delta-batcher.js";
import { titleFromPrompt } from "./title.js";

/** How often a streaming answer is written to disk: a crash loses at most this much of it. */
const SAVE_EVERY_MS = 250;

type Active = { controller: AbortController; messageId: string; done: Promise<void> };

/** Turns user actions (send, regenerate, stop) into engine generations, persisted and streamed as events. */
export class ChatService {
  private readonly active = new Map<string, Active>();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly emitChat: (event: ChatEvent) => void,
    private readonly onConversationChanged: (conversation: Conversation) => void,
    private readonly logger?: Logger,
  ) {}

  isGenerating(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /** Conversations whose answer is being generated with the given model. */
  conversationsUsingModel(modelId: string): string[] {
    return [...this.active.keys()].filter((id) => this.store.getConversation(id)?.settings.modelId === modelId);
  }

  send(conversationId: string, text: string): { userMessage: Message; assistantMessageId: string } {
    const conversation = this.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    const isFirst = this.store.listMessages(conversationId).length === 0;
    const userMessage = this.store.addMessage({ conversationId, role: "user", content: text, status: "complete" });
    if (isFirst && conversation.title === "New chat") {
      this.store.renameConversation(conversationId, titleFromPrompt(text));
    }
    this.onConversationChanged(this.store.getConversation(conversationId)!);
    const assistant = this.startAnswer(conversationId, model);
    return { userMessage, assistantMessageId: assistant.id };
  }

  regenerate(conversationId: string, messageId?: string): { assistantMessageId: string } {
    const conversation = this.requireConversation(conversationId);
    this.requireIdle(conversationId);
    const model = this.requireModel(conversation);
    const messages = this.store.listMessages(conversationId);
    const last = messages.at(-1);
    if (!last || last.role !== "assistant" || (messageId && last.id !== messageId)) {
      throw new AppError("INVALID_INPUT", "Only the last answer of a conversation can be regenerated.");
    }
    this.store.deleteMessage(last.id);
    const assistant = this.startAnswer(conversationId, model);
    return { assistantMessageId: assistant.id };
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

  private requireConversation(id: string): Conversation {
    const conversation = this.store.getConversation(id);
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

  private requireModel(conversation: Conversation): { id: string; path: string; name: string } {
    const modelId = conversation.settings.modelId;
    if (!modelId) throw new AppError("NO_MODEL_SELECTED", "Choose a model for this conversation first.");
    const model = this.store.getModel(modelId);
    if (!model) throw new AppError("MODEL_NOT_FOUND", "The model of this conversation was removed. Choose another.");
    if (!fs.existsSync(model.path)) {
      throw new AppError(
        "MODEL_FILE_MISSING",
        `The file of ${model.name} is gone from ${model.path}. Import it again or choose another model.`,
      );
    }
    return { id: model.id, path: model.path, name: model.name };
  }

  private startAnswer(conversationId: string, model: { id: string; path: string; name: string }): Message {
    const history = this.store.listMessages(conversationId);
    const assistant = this.store.addMessage({
      conversationId,
      role: "assistant",
      content: "",
      status: "streaming",
      modelId: model.id,
      modelName: model.name,
    });
    const controller = new AbortController();
    const entry: Active = { controller, messageId: assistant.id, done: Promise.resolve() };
    this.active.set(conversationId, entry);
    this.emitChat({ type: "message-start", conversationId, message: assistant });
    const release = () => {
      if (this.active.get(conversationId) === entry) this.active.delete(conversationId);
    };
    entry.done = this.runAnswer(conversationId, assistant, model, history, controller.signal, release).finally(release);
    return assistant;
  }

  private async runAnswer(
    conversationId: string,
    assistant: Message,
    model: { id: string; path: string; name: string },
    history: Message[],
    signal: AbortSignal,
    /** Called before the finish event, so a listener can send the next message right away. */
    release: () => void,
  ): Promise<void> {
    const conversation = this.store.getConversation(conversationId)!;
    const messageId = assistant.id;
    let text = "";
    let reasoning = "";
    let lastSave = Date.now();
    const saveIfDue = () => {
      if (Date.now() - lastSave < SAVE_EVERY_MS) return;
      lastSave = Date.now();
      this.store.saveProgress(messageId, text, reasoning);
    };
    const textBatcher = new DeltaBatcher((delta) =>
      this.emitChat({ type: "text-delta", conversationId, messageId, text: delta }),
    );
    const reasoningBatcher = new DeltaBatcher((delta) =>
      this.emitChat({ type: "reasoning-delta", conversationId, messageId, text: delta }),
    );

    try {
      const result = await this.engine.generate({
        model,
        conversationId,
        contextSize: conversation.settings.contextSize,
        systemPrompt: conversation.settings.systemPrompt,
        turns: toTurns(history),
        temperature: conversation.settings.temperature,
        maxOutputTokens: conversation.settings.maxOutputTokens,
        signal,
        onTextDelta: (delta) => {
          text += delta;
          textBatcher.push(delta);
          saveIfDue();
        },
        onReasoningDelta: (delta) => {
          reasoning += delta;
          reasoningBatcher.push(delta);
          saveIfDue();
        },
      });
      reasoningBatcher.flush();
      textBatcher.flush();
      const status = result.stopReason === "abort" ? "stopped" : "complete";
      this.store.finishMessage(messageId, { content: text, reasoning, status, stats: result.stats, error: null });
      release();
      this.emitChat({ type: "message-finish", conversationId, messageId, status, stats: result.stats, error: null });
    } catch (error) {
      reasoningBatcher.flush();
      textBatcher.flush();
      const aborted = signal.aborted;
      const serialized = aborted ? null : serializeError(error);
      if (!(error instanceof AppError)) this.logger?.error("answer failed", { error: String(error) });
      const status = aborted ? "stopped" : "error";
      this.store.finishMessage(messageId, { content: text, reasoning, status, stats: null, error: serialized });
      release();
      this.emitChat({ type: "message-finish", conversationId, messageId, status, stats: null, error: serialized });
    }
  }
}

/** The history the model sees: every user message and every answer that has text (failed empty ones are skipped). */
export function toTurns(messages: Message[]): ChatTurn[] {
  return messages
    .filter((m) => m.role === "user" || m.content.trim().length > 0)
    .map((m) => ({ role: m.role, content: m.content }));
}
