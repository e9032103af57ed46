import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { describe, expect, it } from "vitest";
import { Store } from "./store.js";
import { migrations } from "./database.js";

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-store-")), "hearth.db");

describe("Store", () => {
  it("migrates a new database and keeps messages in order per conversation", () => {
    const file = tempFile();
    const store = new Store(file);
    const conversation = store.createConversation(null);
    expect(conversation.settings).toMatchObject({ modelId: null, temperature: 0.7, contextSize: 4096, maxOutputTokens: 1024 });
    const a = store.addMessage({ conversationId: conversation.id, role: "user", content: "one", status: "complete" });
    const b = store.addMessage({ conversationId: conversation.id, role: "assistant", content: "", status: "streaming" });
    store.saveProgress(b.id, "partial", "thinking");
    expect(store.listMessages(conversation.id).map((m) => [m.id, m.content, m.reasoning])).toEqual([
      [a.id, "one", ""],
      [b.id, "partial", "thinking"],
    ]);
    store.close();
    const db = new Database(file);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    db.close();
  });

  it("marks answers left streaming by a crash as interrupted, keeping their text", () => {
    const file = tempFile();
    const store = new Store(file);
    const conversation = store.createConversation(null);
    const answer = store.addMessage({ conversationId: conversation.id, role: "assistant", content: "", status: "streaming" });
    store.saveProgress(answer.id, "Once upon", "");
    store.close();
    const reopened = new Store(file);
    expect(reopened.markInterrupted()).toBe(1);
    expect(reopened.getMessage(answer.id)).toMatchObject({ status: "interrupted", content: "Once upon" });
    reopened.close();
  });

  it("deleting a conversation deletes its messages; removing a model clears it from conversations", () => {
    const store = new Store(tempFile());
    const model = store.addModel({
      name: "m", path: "/models/m.gguf", sizeBytes: 1, architecture: "llama", parameters: null, quantization: null,
      trainContextLength: null, hasChatTemplate: false,
    });
    const conversation = store.createConversation(model.id);
    const message = store.addMessage({ conversationId: conversation.id, role: "user", content: "x", status: "complete" });
    store.removeModel(model.id);
    expect(store.getConversation(conversation.id)?.settings.modelId).toBeNull();
    store.deleteConversation(conversation.id);
    expect(store.getMessage(message.id)).toBeNull();
    store.close();
  });

  it("refuses a database written by a newer version instead of damaging it", () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => new Store(file)).toThrow(/newer Hearth/);
  });
});
