import { AppError, isAppError, serializeError, type ChatEvent, type Message } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import type { Store } from "../store/store.js";

/**
 * Runs one step of sending a message. On a full disk it takes back what was stored of the message (the user
 * message and an answer that never started), so the DISK_FULL refusal means "not sent" and the UI can give the
 * text back to the composer.
 */
export function refuseSendOnDiskFull<T>(store: Store, userMessage: Message | null, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!isAppError(error) || error.code !== "DISK_FULL") throw error;
    let undone = true;
    if (userMessage) {
      try {
        const all = store.listMessages(userMessage.conversationId);
        const from = all.findIndex((m) => m.id === userMessage.id);
        store.db.transaction(() => {
          for (const message of all.slice(from)) store.deleteMessage(message.id);
        })();
      } catch {
        undone = false;
      }
    }
    throw new AppError(
      "DISK_FULL",
      undone
        ? "The disk is full, so your message was not sent (nothing of it was saved). Free some disk space, then send it again."
        : "The disk is full: your message was saved, but its answer could not start. Free some disk space, then send again.",
      { retryable: true, cause: error },
    );
  }
}

/**
 * Last resort when an answer's run throws (a store write outside the answer stream hit a full disk, say): the
 * process stays up and the UI still gets the final event, unless the answer had already ended.
 */
export function endAfterFailure(
  deps: { store: Store; emitChat: (event: ChatEvent) => void; logger?: Logger },
  conversationId: string,
  messageId: string,
  error: unknown,
  release: () => void,
): void {
  release();
  deps.logger?.error("answer failed", { error: error instanceof Error ? error.message : String(error) });
  let message: Message | null = null;
  try {
    message = deps.store.getMessage(messageId);
    if (message && message.status !== "streaming") return;
  } catch {
    // The store cannot be read: still tell the UI the answer is over.
  }
  const end = { status: "error" as const, stats: null, error: serializeError(error) };
  const text = message ? { content: message.content, reasoning: message.reasoning } : {};
  if (message) {
    try {
      deps.store.finishMessage(messageId, { content: message.content, reasoning: message.reasoning, ...end });
    } catch {
      // A full disk: the store holds the end in memory and writes it once there is room.
    }
  }
  try {
    deps.emitChat({ type: "message-finish", conversationId, messageId, ...end, ...text });
  } catch (emitError) {
    deps.logger?.error("could not report the end of an answer", { error: String(emitError) });
  }
}
