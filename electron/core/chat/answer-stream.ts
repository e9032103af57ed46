import type { ChatEvent, Message } from "../../contract/index.js";
import type { Store } from "../store/store.js";
import { DeltaBatcher } from "./delta-batcher.js";

/** How often a streaming answer is written to disk: a crash loses at most this much of it. */
const SAVE_EVERY_MS = 250;

/** Accumulates an answer, batches its deltas to the UI and saves it every few hundred ms. */
export function createAnswerStream(
  store: Store,
  emitChat: (event: ChatEvent) => void,
  conversationId: string,
  messageId: string,
) {
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
    /** The answer so far, as saved. */
    answer: () => ({ content: text, reasoning }),
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
    flush: () => {
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
