import { AppError, isAppError, type Message } from "../../contract/index.js";
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
