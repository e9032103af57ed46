import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError, type ChatEvent } from "../../contract/index.js";
import { Store } from "../store/store.js";
import { endAfterFailure, refuseSendOnDiskFull } from "./answer-failures.js";

const newStore = () => new Store(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-failures-")), "hearth.db"));
const diskFull = () => new AppError("DISK_FULL", "The disk is full.", { retryable: true });

describe("refuseSendOnDiskFull", () => {
  it("takes back the user message and an answer that never started, and says the message was not sent", () => {
    const store = newStore();
    const conversation = store.createConversation(null);
    const earlier = store.addMessage({ conversationId: conversation.id, role: "user", content: "kept", status: "complete" });
    const user = store.addMessage({ conversationId: conversation.id, role: "user", content: "hello", status: "complete" });
    store.addMessage({ conversationId: conversation.id, role: "assistant", content: "", status: "streaming" });
    let thrown: unknown;
    try {
      refuseSendOnDiskFull(store, user, () => {
        throw diskFull();
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "DISK_FULL", retryable: true });
    expect((thrown as AppError).message).toMatch(/not sent/);
    expect(store.listMessages(conversation.id).map((m) => m.id)).toEqual([earlier.id]);
    store.close();
  });

  it("passes other errors and results through untouched", () => {
    const store = newStore();
    const other = new AppError("BUSY", "Busy.");
    expect(() =>
      refuseSendOnDiskFull(store, null, () => {
        throw other;
      }),
    ).toThrow(other);
    expect(refuseSendOnDiskFull(store, null, () => 7)).toBe(7);
    store.close();
  });
});

describe("endAfterFailure", () => {
  it("ends an answer still streaming with the error and its text, and leaves an ended one alone", () => {
    const store = newStore();
    const conversation = store.createConversation(null);
    const streaming = store.addMessage({ conversationId: conversation.id, role: "assistant", content: "", status: "streaming" });
    store.saveProgress(streaming.id, "Once upon", "");
    const events: ChatEvent[] = [];
    let released = 0;
    const deps = { store, emitChat: (event: ChatEvent) => events.push(event) };
    endAfterFailure(deps, conversation.id, streaming.id, diskFull(), () => released++);
    expect(released).toBe(1);
    expect(events).toEqual([
      {
        type: "message-finish",
        conversationId: conversation.id,
        messageId: streaming.id,
        status: "error",
        stats: null,
        error: diskFull().toJSON(),
        content: "Once upon",
        reasoning: "",
      },
    ]);
    expect(store.getMessage(streaming.id)).toMatchObject({ status: "error", content: "Once upon", error: { code: "DISK_FULL" } });

    endAfterFailure(deps, conversation.id, streaming.id, new Error("late"), () => released++);
    expect(events).toHaveLength(1);
    store.close();
  });
});
