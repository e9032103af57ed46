import { AppError, type Message } from "../../contract/index.js";
import type { Store } from "../store/store.js";
import type { ChatService } from "./chat-service.js";

/**
 * What the user does with the tree besides answering: flip to another version of a message, and delete a message with
 * everything below it. Both tell every window the branch it now shows.
 */
export class MessageVersions {
  constructor(private readonly deps: { store: Store; chat: ChatService }) {}

  /** Shows the branch through `messageId` (its most recent continuation). Refused while the conversation answers. */
  selectVersion(conversationId: string, messageId: string): Message[] {
    const { store, chat } = this.deps;
    store.requireConversation(conversationId);
    chat.requireMessage(conversationId, messageId);
    if (chat.isGenerating(conversationId)) {
      throw new AppError("BUSY", "This conversation is still answering. Stop it or wait before switching versions.", {
        retryable: true,
      });
    }
    store.setActiveVersion(messageId);
    chat.emitBranch(conversationId);
    return store.listActiveBranch(conversationId);
  }

  /**
   * Deletes `messageId` and what hangs below it (every version). Refused while the answer being generated is among
   * them; a pending proposal about a deleted message is dropped with them. `dryRun` only counts.
   */
  deleteMessage(conversationId: string, messageId: string, dryRun: boolean): { deletedCount: number; messages: Message[] } {
    const { store, chat } = this.deps;
    store.requireConversation(conversationId);
    chat.requireMessage(conversationId, messageId);
    if (dryRun) return { deletedCount: store.tree.subtreeSize(messageId), messages: store.listActiveBranch(conversationId) };
    if (chat.isGeneratingUnder(conversationId, messageId)) {
      throw new AppError(
        "BUSY",
        "An answer below this message is still being written. Stop it first, then delete.",
        { retryable: true },
      );
    }
    const deleted = store.deleteMessage(messageId);
    chat.dropProposalAbout(conversationId, deleted);
    chat.emitBranch(conversationId);
    return { deletedCount: deleted.length, messages: store.listActiveBranch(conversationId) };
  }
}
