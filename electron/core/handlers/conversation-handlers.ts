import { AppError, type EventPayload, type Policy } from "../../contract/index.js";
import type { ChatEventLog } from "../chat/chat-event-log.js";
import type { ChatService } from "../chat/chat-service.js";
import { measureConversation } from "../chat/context/conversation-meter.js";
import { deleteAndErase } from "../cloud/audit-erase.js";
import type { AuditLog } from "../cloud/audit-log.js";
import type { ProviderStore } from "../cloud/provider-store.js";
import type { Logger } from "../core-types.js";
import type { Handlers } from "../dispatch.js";
import type { EnginePort } from "../engine-host/engine-port.js";
import type { SettingsService } from "../settings/settings-service.js";
import type { Store } from "../store/store.js";

type ConversationHandlers = Pick<
  Handlers,
  | "listConversations"
  | "createConversation"
  | "getConversation"
  | "catchUpChat"
  | "getContextMeter"
  | "renameConversation"
  | "updateConversationSettings"
  | "deleteConversation"
>;

/** The contract's conversation methods: list, create, open, measure, rename, settings, delete. */
export function conversationHandlers(deps: {
  store: Store;
  engine: EnginePort;
  settings: Pick<SettingsService, "defaultPrivacyMode" | "defaultSystemPrompt">;
  providers: Pick<ProviderStore, "get">;
  audit: AuditLog;
  chat: Pick<ChatService, "close">;
  /** The numbered chat events: a conversation opens at its last number, and a window catches up from there. */
  chatLog: Pick<ChatEventLog, "lastSeq" | "withLiveAnswers" | "catchUp" | "forget">;
  policy: () => Policy;
  emitConversations: (event: EventPayload<"conversations">) => void;
  logger?: Logger;
}): ConversationHandlers {
  const { store, engine, settings, providers, audit, chat, chatLog, policy, emitConversations, logger } = deps;
  const requireConversation = (id: string) => store.requireConversation(id);
  return {
    async listConversations({ before, limit }) {
      if (limit === undefined && before === undefined) return store.listConversations();
      return store.listConversationsPage({ before, limit: limit ?? Number.MAX_SAFE_INTEGER });
    },

    async createConversation({ modelId }) {
      let chosen = modelId ?? null;
      if (chosen && !store.getModel(chosen)) throw new AppError("MODEL_NOT_FOUND", "That model is not imported.");
      // A new chat starts with the most recently used model, so a user with one model never has to pick it.
      chosen ??= store.listConversations().find((c) => c.settings.modelId)?.settings.modelId ?? store.listModels().at(-1)?.id ?? null;
      const conversation = store.createConversation(chosen, settings.defaultPrivacyMode(), settings.defaultSystemPrompt());
      emitConversations({ type: "conversation-updated", conversation });
      return conversation;
    },

    async getConversation({ conversationId, before, limit }) {
      const conversation = requireConversation(conversationId);
      const page = limit === undefined && before === undefined
        ? { messages: store.listActiveBranch(conversationId), hasOlder: false }
        : store.listActiveBranchPage(conversationId, { before, limit: limit ?? Number.MAX_SAFE_INTEGER });
      // Read in one tick with the last event number, so the window applies exactly the events after it.
      const messages = chatLog.withLiveAnswers(conversationId, page.messages);
      return { conversation, messages, hasOlder: page.hasOlder, lastSeq: chatLog.lastSeq(conversationId) };
    },

    async catchUpChat({ conversationId, afterSeq }) {
      requireConversation(conversationId);
      return chatLog.catchUp(conversationId, afterSeq);
    },

    async getContextMeter({ conversationId }) {
      return { meter: await measureConversation({ store, engine, logger }, conversationId) };
    },

    async renameConversation({ conversationId, title }) {
      requireConversation(conversationId);
      store.renameConversation(conversationId, title);
      const conversation = requireConversation(conversationId);
      emitConversations({ type: "conversation-updated", conversation });
      return conversation;
    },

    async updateConversationSettings({ conversationId, settings: changes }) {
      requireConversation(conversationId);
      if (changes.modelId && !store.getModel(changes.modelId)) {
        throw new AppError("MODEL_NOT_FOUND", "That model is not imported.");
      }
      const locked = policy().lockedPrivacyMode;
      if (changes.privacyMode && locked && changes.privacyMode !== locked) {
        throw new AppError("POLICY_LOCKED", `Your organisation's policy keeps every conversation in "${locked}" mode.`);
      }
      if (changes.cloudProviderId && !providers.get(changes.cloudProviderId)) {
        throw new AppError("NO_PROVIDER", "That cloud provider does not exist any more.");
      }
      store.updateConversationSettings(conversationId, changes);
      const conversation = requireConversation(conversationId);
      emitConversations({ type: "conversation-updated", conversation });
      return conversation;
    },

    async deleteConversation({ conversationId, eraseAudit }) {
      requireConversation(conversationId);
      await chat.close(conversationId);
      const remove = () => store.deleteConversation(conversationId);
      if (eraseAudit) deleteAndErase(audit, conversationId, remove);
      else remove();
      chatLog.forget(conversationId);
      emitConversations({ type: "conversation-deleted", conversationId });
      return { ok: true as const };
    },
  };
}
