import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../api/contract.js";
import { testMessage } from "../test/test-message.js";
import { applyChatEvent } from "./apply-chat-event.js";
import { emptyMessagesState, removeMessage, setConversationMessages, upsertMessage, type MessagesState } from "./messages-state.js";

const user = testMessage({ id: "u1", role: "user", content: "Tell me a story", createdAt: 1_000 });
const answer = testMessage({ id: "a1", role: "assistant", status: "streaming", createdAt: 1_001, modelId: "m1" });

function run(state: MessagesState, ...events: ChatEvent[]): MessagesState {
  return events.reduce(applyChatEvent, state);
}

describe("applyChatEvent", () => {
  it("streams an answer into one message", () => {
    const start = setConversationMessages(emptyMessagesState, "c1", [user]);
    const state = run(
      start,
      { type: "message-start", conversationId: "c1", message: answer },
      { type: "reasoning-delta", conversationId: "c1", messageId: "a1", text: "Think" },
      { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Once " },
      { type: "text-delta", conversationId: "c1", messageId: "a1", text: "upon a time" },
    );
    expect(state.idsByConversation.c1).toEqual(["u1", "a1"]);
    expect(state.byId.a1?.content).toBe("Once upon a time");
    expect(state.byId.a1?.reasoning).toBe("Think");
    expect(state.byId.a1?.status).toBe("streaming");
  });

  it("shows a new attempt in place of the version it follows, and streams into it", () => {
    const failed = testMessage({ id: "a1", role: "assistant", status: "error", createdAt: 1_001 });
    const later = testMessage({ id: "u2", role: "user", content: "And then?", createdAt: 1_002 });
    const start = setConversationMessages(emptyMessagesState, "c1", [user, failed]);
    const local = testMessage({ id: "a2", role: "assistant", status: "streaming", createdAt: 1_003, versionIds: ["a1", "a2"] });
    const state = run(
      start,
      { type: "attempt-started", conversationId: "c1", message: local, kind: "failover", replaces: "a1" },
      { type: "text-delta", conversationId: "c1", messageId: "a2", text: "Once" },
    );
    expect(state.idsByConversation.c1).toEqual(["u1", "a2"]);
    expect(state.byId.a2).toMatchObject({ content: "Once", versionIds: ["a1", "a2"] });
    expect(state.byId.a1).toBeUndefined();

    // A retry of an older answer: the branch below the old one is not shown under the new one.
    const deeper = setConversationMessages(emptyMessagesState, "c1", [user, failed, later]);
    const retried = run(deeper, { type: "attempt-started", conversationId: "c1", message: local, kind: "retry", replaces: "a1" });
    expect(retried.idsByConversation.c1).toEqual(["u1", "a2"]);
    expect(retried.byId.u2).toBeUndefined();

    // Nothing shown to replace (the user message had no answer): added after it.
    const unanswered = run(setConversationMessages(emptyMessagesState, "c1", [user]), {
      type: "attempt-started",
      conversationId: "c1",
      message: local,
      kind: "retry",
      replaces: null,
    });
    expect(unanswered.idsByConversation.c1).toEqual(["u1", "a2"]);
  });

  it("keeps the id list and other messages by reference on a delta", () => {
    const before = run(setConversationMessages(emptyMessagesState, "c1", [user]), {
      type: "message-start",
      conversationId: "c1",
      message: answer,
    });
    const after = applyChatEvent(before, { type: "text-delta", conversationId: "c1", messageId: "a1", text: "x" });
    expect(after.idsByConversation).toBe(before.idsByConversation);
    expect(after.byId.u1).toBe(before.byId.u1);
    expect(after.byId.a1).not.toBe(before.byId.a1);
    // The input state is never mutated.
    expect(before.byId.a1?.content).toBe("");
  });

  it("finishes with status, stats and error", () => {
    const stats = { timeToFirstTokenMs: 12, tokensPerSecond: 300, outputTokens: 40, evaluatedInputTokens: 8 };
    const started = run(emptyMessagesState, { type: "message-start", conversationId: "c1", message: answer });
    const stopped = applyChatEvent(started, {
      type: "message-finish",
      conversationId: "c1",
      messageId: "a1",
      status: "stopped",
      stats,
      error: null,
    });
    expect(stopped.byId.a1).toMatchObject({ status: "stopped", stats, error: null });

    const failed = applyChatEvent(started, {
      type: "message-finish",
      conversationId: "c1",
      messageId: "a1",
      status: "error",
      stats: null,
      error: { code: "GENERATION_FAILED", message: "The model failed.", retryable: true },
    });
    expect(failed.byId.a1?.status).toBe("error");
    expect(failed.byId.a1?.error?.code).toBe("GENERATION_FAILED");
  });

  it("takes the whole answer a finish carries (an answer the disk could not save stays as it streamed)", () => {
    const started = run(emptyMessagesState, { type: "message-start", conversationId: "c1", message: answer });
    const streamed = applyChatEvent(started, { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Once" });
    const error = { code: "DISK_FULL" as const, message: "The disk is full, so Hearth stopped this answer.", retryable: true };
    const finished = applyChatEvent(streamed, {
      type: "message-finish",
      conversationId: "c1",
      messageId: "a1",
      status: "error",
      stats: null,
      error,
      content: "Once upon",
      reasoning: "",
    });
    expect(finished.byId.a1).toMatchObject({ content: "Once upon", status: "error", error });
    // A finish without the answer keeps the streamed text.
    const plain = applyChatEvent(streamed, { type: "message-finish", conversationId: "c1", messageId: "a1", status: "complete", stats: null, error: null });
    expect(plain.byId.a1?.content).toBe("Once");
  });

  it("ignores events for messages it does not hold and empty deltas", () => {
    const state = setConversationMessages(emptyMessagesState, "c1", [user]);
    expect(applyChatEvent(state, { type: "text-delta", conversationId: "c1", messageId: "nope", text: "x" })).toBe(state);
    expect(applyChatEvent(state, { type: "text-delta", conversationId: "c1", messageId: "u1", text: "" })).toBe(state);
    expect(
      applyChatEvent(state, {
        type: "message-finish",
        conversationId: "c1",
        messageId: "nope",
        status: "complete",
        stats: null,
        error: null,
      }),
    ).toBe(state);
  });

  it("replaces a message restarted with the same id (regenerate)", () => {
    const done = { ...answer, content: "Old answer", status: "complete" as const };
    const state = run(setConversationMessages(emptyMessagesState, "c1", [user, done]), {
      type: "message-start",
      conversationId: "c1",
      message: { ...answer, content: "" },
    });
    expect(state.idsByConversation.c1).toEqual(["u1", "a1"]);
    expect(state.byId.a1?.content).toBe("");
  });
});

describe("messages state helpers", () => {
  it("orders a user message before an answer that arrived first", () => {
    const withAnswer = applyChatEvent(emptyMessagesState, { type: "message-start", conversationId: "c1", message: answer });
    const state = upsertMessage(withAnswer, user);
    expect(state.idsByConversation.c1).toEqual(["u1", "a1"]);
    const sameTime = upsertMessage(
      applyChatEvent(emptyMessagesState, { type: "message-start", conversationId: "c1", message: { ...answer, createdAt: 5 } }),
      { ...user, createdAt: 5 },
    );
    expect(sameTime.idsByConversation.c1).toEqual(["u1", "a1"]);
  });

  it("removes a message and replaces a conversation", () => {
    const state = setConversationMessages(emptyMessagesState, "c1", [user, answer]);
    const removed = removeMessage(state, "c1", "a1");
    expect(removed.idsByConversation.c1).toEqual(["u1"]);
    expect(removed.byId.a1).toBeUndefined();
    const replaced = setConversationMessages(state, "c1", [user]);
    expect(replaced.byId.a1).toBeUndefined();
  });
});

describe("loading a conversation mid-stream", () => {
  it("keeps the live copy of a streaming answer over the core's older saved copy", () => {
    const live = run(setConversationMessages(emptyMessagesState, "c1", [user]), {
      type: "message-start",
      conversationId: "c1",
      message: answer,
    });
    const ahead = applyChatEvent(live, { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Once upon" });
    const reloaded = setConversationMessages(ahead, "c1", [user, { ...answer, content: "Once" }]);
    expect(reloaded.byId.a1?.content).toBe("Once upon");
    const finished = setConversationMessages(ahead, "c1", [user, { ...answer, content: "Once upon a time", status: "complete" }]);
    expect(finished.byId.a1?.content).toBe("Once upon a time");
  });
});

describe("message parts and the user's message from another window", () => {
  it("a delta extends the answer's text and reasoning parts, not only content and reasoning", () => {
    const state = run(
      setConversationMessages(emptyMessagesState, "c1", [user]),
      { type: "message-start", conversationId: "c1", message: answer },
      { type: "reasoning-delta", conversationId: "c1", messageId: "a1", text: "Think" },
      { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Once " },
      { type: "text-delta", conversationId: "c1", messageId: "a1", text: "upon" },
    );
    expect(state.byId.a1?.parts).toEqual([
      { type: "reasoning", text: "Think" },
      { type: "text", text: "Once upon" },
    ]);
    const finished = applyChatEvent(state, {
      type: "message-finish",
      conversationId: "c1",
      messageId: "a1",
      status: "complete",
      stats: null,
      error: null,
      content: "Once upon a time",
      reasoning: "Think",
    });
    expect(finished.byId.a1?.parts).toEqual([
      { type: "reasoning", text: "Think" },
      { type: "text", text: "Once upon a time" },
    ]);
  });

  it("message-added shows the user's message in a window that did not send it, once", () => {
    const other = setConversationMessages(emptyMessagesState, "c1", []);
    const added = applyChatEvent(other, { type: "message-added", conversationId: "c1", message: user });
    expect(added.idsByConversation.c1).toEqual(["u1"]);
    expect(added.byId.u1?.content).toBe("Tell me a story");
    // Its answer then starts below it.
    const answered = applyChatEvent(added, { type: "message-start", conversationId: "c1", message: answer });
    expect(answered.idsByConversation.c1).toEqual(["u1", "a1"]);
  });

  it("the sender, which already shows the message it got back, keeps one copy", () => {
    const sender = upsertMessage(setConversationMessages(emptyMessagesState, "c1", []), user);
    const again = applyChatEvent(sender, { type: "message-added", conversationId: "c1", message: user });
    expect(again.idsByConversation.c1).toEqual(["u1"]);
    // Either order: the event first, then the reply.
    const eventFirst = applyChatEvent(setConversationMessages(emptyMessagesState, "c1", []), { type: "message-added", conversationId: "c1", message: user });
    expect(upsertMessage(eventFirst, user).idsByConversation.c1).toEqual(["u1"]);
  });

  it("a window that has not opened the conversation does not collect its messages", () => {
    const state = applyChatEvent(emptyMessagesState, { type: "message-added", conversationId: "c1", message: user });
    expect(state).toBe(emptyMessagesState);
  });

  it("a snapshot exact up to its event number replaces a streaming copy (keepStreaming: false)", () => {
    const live = run(
      setConversationMessages(emptyMessagesState, "c1", [user]),
      { type: "message-start", conversationId: "c1", message: answer },
      { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Once upon" },
    );
    const snapshot = setConversationMessages(live, "c1", [user, { ...answer, content: "Once" }], { keepStreaming: false });
    expect(snapshot.byId.a1?.content).toBe("Once");
  });
});
