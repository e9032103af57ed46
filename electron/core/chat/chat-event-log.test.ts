import { describe, expect, it } from "vitest";
import { textParts, type ChatEvent, type Message } from "../../contract/index.js";
import { ChatEventLog } from "./chat-event-log.js";
import { messageAdded, reasoningPartDelta, textPartDelta } from "./chat-events.js";

function message(id: string, overrides: Partial<Message> = {}): Message {
  const content = overrides.content ?? "";
  const reasoning = overrides.reasoning ?? "";
  return {
    id,
    conversationId: "c1",
    role: "assistant",
    content,
    reasoning,
    parts: textParts(content, reasoning),
    status: "streaming",
    modelId: null,
    modelName: null,
    stats: null,
    error: null,
    createdAt: 1,
    ...overrides,
  };
}

const start = (m: Message): ChatEvent => ({ type: "message-start", conversationId: m.conversationId, message: m });
const finish = (id: string, content: string): ChatEvent => ({
  type: "message-finish",
  conversationId: "c1",
  messageId: id,
  status: "complete",
  stats: null,
  error: null,
  content,
  reasoning: "",
});

describe("ChatEventLog", () => {
  it("numbers each conversation's events from its start number, one more each, independently per conversation", () => {
    const log = new ChatEventLog({ startSeq: 100 });
    expect(log.lastSeq("c1")).toBe(100);
    expect(log.stamp(textPartDelta("c1", "a", "x")).seq).toBe(101);
    expect(log.stamp(textPartDelta("c1", "a", "y")).seq).toBe(102);
    expect(log.stamp(textPartDelta("c2", "b", "z")).seq).toBe(101);
    expect(log.stamp(messageAdded("c1", message("u", { role: "user", status: "complete" }))).seq).toBe(103);
    expect(log.lastSeq("c1")).toBe(103);
    expect(log.lastSeq("c2")).toBe(101);
  });

  it("starts above the numbers of an earlier run by default (the start time), so an old window is told to reload", () => {
    const before = Date.now();
    const log = new ChatEventLog();
    expect(log.lastSeq("c1")).toBeGreaterThanOrEqual(before);
    log.stamp(textPartDelta("c1", "a", "x"));
    // A window that followed an earlier run, with a number this run never gave out.
    expect(log.catchUp("c1", 12)).toEqual({ reset: true, lastSeq: log.lastSeq("c1") });
  });

  it("returns exactly the events after the given number, in order", () => {
    const log = new ChatEventLog({ startSeq: 0 });
    const stamped = ["a", "b", "c", "d"].map((t) => log.stamp(textPartDelta("c1", "m", t)));
    expect(log.catchUp("c1", 2)).toEqual({ reset: false, events: stamped.slice(2), lastSeq: 4 });
    expect(log.catchUp("c1", 4)).toEqual({ reset: false, events: [], lastSeq: 4 });
    expect(log.catchUp("c1", 0)).toEqual({ reset: false, events: stamped, lastSeq: 4 });
    // Ahead of the core (a window from another run): reset.
    expect(log.catchUp("c1", 5)).toEqual({ reset: true, lastSeq: 4 });
    // A conversation with no events yet: nothing to catch up on.
    expect(log.catchUp("c9", 0)).toEqual({ reset: false, events: [], lastSeq: 0 });
  });

  it("stays bounded by count and size under a flood, and answers a catch-up from before its window with a reset", () => {
    const limits = { eventsPerConversation: 50, charsPerConversation: 20_000, totalChars: 50_000 };
    const log = new ChatEventLog({ startSeq: 0, limits });
    for (let i = 0; i < 100_000; i++) log.stamp(textPartDelta("c1", "m", "word ".repeat(1 + (i % 40))));
    const held = log.held();
    expect(held.events).toBeLessThanOrEqual(50);
    expect(held.chars).toBeLessThanOrEqual(20_000);
    expect(log.lastSeq("c1")).toBe(100_000);
    expect(log.catchUp("c1", 10)).toEqual({ reset: true, lastSeq: 100_000 });
    const recent = log.catchUp("c1", 99_990);
    expect(recent.reset).toBe(false);
    if (!recent.reset) expect(recent.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 99_991 + i));
  });

  it("keeps the total over all conversations bounded: the least recently active lose their events first", () => {
    const log = new ChatEventLog({ startSeq: 0, limits: { eventsPerConversation: 1_000, charsPerConversation: 10_000, totalChars: 25_000 } });
    const chunk = "x".repeat(1_000);
    for (let c = 0; c < 200; c++) for (let i = 0; i < 10; i++) log.stamp(textPartDelta(`c${c}`, "m", chunk));
    expect(log.held().chars).toBeLessThanOrEqual(25_000);
    // The newest conversation still catches up; an old one must reload.
    expect(log.catchUp("c199", 5).reset).toBe(false);
    expect(log.catchUp("c0", 5)).toEqual({ reset: true, lastSeq: 10 });
  });

  it("does not keep an event too big to keep, and a catch-up across it is a reset", () => {
    const log = new ChatEventLog({ startSeq: 0, limits: { charsPerConversation: 5_000 } });
    log.stamp(textPartDelta("c1", "m", "small"));
    const branch = { type: "branch-changed" as const, conversationId: "c1", messages: [message("m", { content: "x".repeat(10_000), status: "complete" })] };
    expect(log.stamp(branch).seq).toBe(2);
    log.stamp(textPartDelta("c1", "m", "after"));
    expect(log.catchUp("c1", 1).reset).toBe(true);
    const after = log.catchUp("c1", 2);
    expect(after.reset === false && after.events.map((e) => e.seq)).toEqual([3]);
  });

  it("forgets a deleted conversation's events and numbers", () => {
    const log = new ChatEventLog({ startSeq: 0 });
    log.stamp(textPartDelta("c1", "m", "hello"));
    log.forget("c1");
    expect(log.held()).toEqual({ chars: 0, events: 0, conversations: 0 });
    expect(log.lastSeq("c1")).toBe(0);
  });

  it("gives a streaming answer the text its events carried, not the store's copy (behind or ahead of them)", () => {
    const log = new ChatEventLog({ startSeq: 0 });
    const answer = message("a1");
    log.stamp(start(answer));
    log.stamp(reasoningPartDelta("c1", "a1", "Hmm. "));
    log.stamp(textPartDelta("c1", "a1", "Once upon"));
    // The store saved more than was sent (the batcher holds the rest), or less (saved a while ago).
    for (const stored of ["Once upon a ti", "Once"]) {
      const [shown] = log.withLiveAnswers("c1", [{ ...answer, content: stored, parts: textParts(stored, "") }]);
      expect(shown!.content).toBe("Once upon");
      expect(shown!.reasoning).toBe("Hmm. ");
      expect(shown!.parts).toEqual([{ type: "reasoning", text: "Hmm. " }, { type: "text", text: "Once upon" }]);
    }
    // Once finished, the store's copy is the answer.
    log.stamp(finish("a1", "Once upon a time"));
    const done = message("a1", { content: "Once upon a time", status: "complete" });
    expect(log.withLiveAnswers("c1", [done])).toEqual([done]);
  });

  it("a restarted answer (message-start again) follows from the restarted text", () => {
    const log = new ChatEventLog({ startSeq: 0 });
    log.stamp(start(message("a1")));
    log.stamp(textPartDelta("c1", "a1", "cloud words"));
    log.stamp(start(message("a1", { content: "" })));
    log.stamp(textPartDelta("c1", "a1", "local"));
    expect(log.withLiveAnswers("c1", [message("a1", { content: "loc" })])[0]!.content).toBe("local");
  });
});
