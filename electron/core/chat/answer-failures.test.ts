import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../contract/index.js";
import { Store } from "../store/store.js";
import { refuseSendOnDiskFull } from "./answer-failures.js";

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
