import { AppError, serializeError, type ChatEvent, type Message, type SerializedAppError } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import { isDiskFull } from "../store/disk-full.js";
import type { Store } from "../store/store.js";
import { reasoningPartDelta, textPartDelta } from "./chat-events.js";
import { DeltaBatcher } from "./delta-batcher.js";

/** How often a streaming answer is written to disk: a crash loses at most this much of it. */
const SAVE_EVERY_MS = 250;

export type AnswerStreamOptions = {
  /**
   * Called once when the answer can no longer be saved (the disk is full): the caller stops the generation, and
   * the answer then ends as an error that says so, whatever status its end reports.
   */
  onSaveFailed?: (error: AppError) => void;
  logger?: Logger;
};

/** What the user reads when the disk filled up under an answer: why it stopped, what was kept, what to do. */
function diskFullWhileAnswering(cause: unknown, savedChars: number, totalChars: number, finishSaved: boolean): AppError {
  const kept = finishSaved
    ? "The answer so far is saved."
    : totalChars === savedChars
      ? "The answer so far stays on screen and is saved."
      : `The answer so far stays on screen; ${savedChars} of its ${totalChars} characters are on disk, and Hearth ` +
        "writes the rest as soon as there is room.";
  return new AppError(
    "DISK_FULL",
    `The disk is full, so Hearth stopped this answer. ${kept} Your earlier messages are safe. Free some disk space, ` +
      "then regenerate the answer or send your next message.",
    { retryable: true, cause },
  );
}

/**
 * Accumulates an answer, batches its deltas to the UI and saves it every few hundred ms. Never throws: a save that
 * fails stops the answer (through `onSaveFailed`), and `finish` always sends the final event, carrying the whole
 * answer, even when the disk cannot take it.
 */
export function createAnswerStream(
  store: Store,
  emitChat: (event: ChatEvent) => void,
  conversationId: string,
  messageId: string,
  options: AnswerStreamOptions = {},
) {
  let text = "";
  let reasoning = "";
  let lastSave = Date.now();
  /** Characters of the answer (text + reasoning) known to be on disk. */
  let savedChars = 0;
  /** The first save that failed; the answer ends with it. */
  let saveFailure: unknown = null;

  const failed = (error: unknown) => {
    if (saveFailure !== null) return;
    saveFailure = error;
    options.logger?.error("could not save an answer", { error: error instanceof Error ? error.message : String(error) });
    const appError = isDiskFull(error)
      ? diskFullWhileAnswering(error, savedChars, text.length + reasoning.length, false)
      : new AppError("INTERNAL", "Hearth could not save this answer, so it stopped.", { cause: error });
    options.onSaveFailed?.(appError);
  };
  const saveIfDue = () => {
    if (saveFailure !== null || Date.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = Date.now();
    try {
      store.saveProgress(messageId, text, reasoning);
      savedChars = text.length + reasoning.length;
    } catch (error) {
      failed(error);
    }
  };
  const textBatcher = new DeltaBatcher((delta) => emitChat(textPartDelta(conversationId, messageId, delta)));
  const reasoningBatcher = new DeltaBatcher((delta) => emitChat(reasoningPartDelta(conversationId, messageId, delta)));
  /** The error the answer ends with after a failed save or finish. */
  const failureError = (cause: unknown, finishSaved: boolean): SerializedAppError =>
    isDiskFull(cause)
      ? diskFullWhileAnswering(cause, savedChars, text.length + reasoning.length, finishSaved).toJSON()
      : serializeError(cause);

  return {
    /** The answer so far, as saved. */
    answer: () => ({ content: text, reasoning }),
    /** Whether a save failed (the answer is being stopped because of it). */
    saveFailed: () => saveFailure !== null,
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
      let end: { status: typeof status; error: Message["error"] } = { status, error };
      if (saveFailure !== null) end = { status: "error", error: failureError(saveFailure, true) };
      try {
        store.finishMessage(messageId, { content: text, reasoning, status: end.status, stats, error: end.error });
      } catch (cause) {
        if (saveFailure === null) {
          options.logger?.error("could not save an answer", { error: cause instanceof Error ? cause.message : String(cause) });
        }
        end = { status: "error", error: failureError(saveFailure ?? cause, false) };
        try {
          // Not on disk either; the store keeps this final state in memory and writes it once there is room.
          store.finishMessage(messageId, { content: text, reasoning, status: end.status, stats, error: end.error });
        } catch {
          // Expected while the disk is full.
        }
      }
      release();
      emitChat({ type: "message-finish", conversationId, messageId, status: end.status, stats, error: end.error, content: text, reasoning });
    },
  };
}
