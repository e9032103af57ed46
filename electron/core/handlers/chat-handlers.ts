import type { ChatService } from "../chat/chat-service.js";
import type { MessageVersions } from "../chat/message-versions.js";
import type { Handlers } from "../dispatch.js";

type ChatHandlers = Pick<
  Handlers,
  | "sendMessage"
  | "regenerateMessage"
  | "continueAnswer"
  | "editMessage"
  | "selectVersion"
  | "deleteMessage"
  | "reviseEscalation"
  | "resolveEscalation"
  | "getPendingEscalation"
  | "stopGeneration"
>;

/** The contract's chat methods: send, regenerate, continue, edit, versions, the cloud proposal's review, stop. */
export function chatHandlers(deps: {
  chat: Pick<ChatService, "send" | "regenerate" | "continueAnswer" | "edit" | "revise" | "resolve" | "pending" | "stop">;
  versions: Pick<MessageVersions, "selectVersion" | "deleteMessage">;
}): ChatHandlers {
  const { chat, versions } = deps;
  return {
    async sendMessage({ conversationId, text, escalate }) {
      return chat.send(conversationId, text, escalate ?? false);
    },

    async regenerateMessage({ conversationId, messageId, target, contextOverflow }) {
      return chat.regenerate(conversationId, messageId, target, contextOverflow ? { contextOverflow } : {});
    },

    async editMessage({ conversationId, messageId, content }) {
      return chat.edit(conversationId, messageId, content);
    },

    async continueAnswer({ conversationId, messageId }) {
      return chat.continueAnswer(conversationId, messageId);
    },

    async selectVersion({ conversationId, messageId }) {
      return { messages: versions.selectVersion(conversationId, messageId) };
    },

    async deleteMessage({ conversationId, messageId, dryRun }) {
      return versions.deleteMessage(conversationId, messageId, dryRun ?? false);
    },

    async reviseEscalation({ conversationId, proposalId, payload }) {
      return chat.revise(conversationId, proposalId, payload);
    },

    async resolveEscalation({ conversationId, proposalId, action }) {
      return chat.resolve(conversationId, proposalId, action);
    },

    async getPendingEscalation({ conversationId }) {
      return { proposal: chat.pending(conversationId) };
    },

    async stopGeneration({ conversationId }) {
      chat.stop(conversationId);
      return { ok: true as const };
    },
  };
}
