import { describe, expect, it } from "vitest";
import { events, sequencedChatEventSchema } from "./events.js";
import {
  MAX_MESSAGE_PARTS,
  MAX_PART_TEXT_CHARS,
  MAX_TOOL_ARGUMENTS_CHARS,
  MAX_TOOL_RESULT_CHARS,
  messagePartSchema,
  messagePartsSchema,
  textParts,
  withTextParts,
  type MessagePart,
} from "./message-parts.js";
import { methods } from "./methods.js";
import { messageSchema } from "./schemas.js";

const message = {
  id: "a1",
  conversationId: "c1",
  role: "assistant" as const,
  content: "The answer",
  reasoning: "Let me think",
  parts: textParts("The answer", "Let me think"),
  status: "complete" as const,
  modelId: null,
  modelName: null,
  stats: null,
  error: null,
  createdAt: 1,
};

const good: MessagePart[] = [
  { type: "reasoning", text: "Let me think", tokens: 12, durationMs: 800 },
  { type: "text", text: "The answer" },
  { type: "citation", sourceId: "doc-1", title: "Lease.pdf", location: "page 4", range: { start: 10, end: 90 } },
  { type: "tool-call", callId: "call-1", name: "search", arguments: '{"query":"rent"}' },
  { type: "tool-result", callId: "call-1", content: "3 results", isError: false },
  { type: "redaction", placeholder: "[EMAIL_1]", redactionType: "EMAIL" },
];

const refused = (part: unknown) => !messagePartSchema.safeParse(part).success;

describe("message parts in the contract", () => {
  it("accepts every part type, and a message carries them", () => {
    for (const part of good) expect(messagePartSchema.parse(part)).toEqual(part);
    expect(messageSchema.parse({ ...message, parts: good }).parts).toEqual(good);
  });

  it("refuses an unknown part type, and a message without parts", () => {
    expect(refused({ type: "image", url: "http://example.com/x.png" })).toBe(true);
    expect(refused({ text: "no type" })).toBe(true);
    const { parts: _parts, ...withoutParts } = message;
    expect(messageSchema.safeParse(withoutParts).success).toBe(false);
  });

  it("refuses oversized parts and too many of them", () => {
    expect(refused({ type: "text", text: "x".repeat(MAX_PART_TEXT_CHARS + 1) })).toBe(true);
    expect(refused({ type: "tool-call", callId: "c", name: "f", arguments: `"${"x".repeat(MAX_TOOL_ARGUMENTS_CHARS)}"` })).toBe(true);
    expect(refused({ type: "tool-result", callId: "c", content: "x".repeat(MAX_TOOL_RESULT_CHARS + 1), isError: false })).toBe(true);
    expect(refused({ type: "citation", sourceId: "s".repeat(101), title: "t", location: null, range: null })).toBe(true);
    expect(refused({ type: "citation", sourceId: "s", title: "t".repeat(201), location: null, range: null })).toBe(true);
    expect(refused({ type: "redaction", placeholder: "p".repeat(101), redactionType: "EMAIL" })).toBe(true);
    const many = Array.from({ length: MAX_MESSAGE_PARTS + 1 }, () => ({ type: "text", text: "x" }));
    expect(messagePartsSchema.safeParse(many).success).toBe(false);
    // Each part within its bound, the message over its total.
    const big = "x".repeat(MAX_PART_TEXT_CHARS);
    const heavy = [{ type: "text", text: big }, { type: "reasoning", text: big }, { type: "text", text: "one more" }];
    expect(messagePartsSchema.safeParse(heavy).success).toBe(false);
  });

  it("refuses hostile shapes: arguments that are not JSON, a passage ending before it starts, a redaction with its original value", () => {
    expect(refused({ type: "tool-call", callId: "c", name: "f", arguments: "{not json" })).toBe(true);
    expect(refused({ type: "citation", sourceId: "s", title: "t", location: null, range: { start: 9, end: 3 } })).toBe(true);
    expect(refused({ type: "citation", sourceId: "s", title: "t", location: null, range: { start: -1, end: 3 } })).toBe(true);
    // The original value must never travel in a part (it would end up in logs and exports).
    expect(refused({ type: "redaction", placeholder: "[EMAIL_1]", redactionType: "EMAIL", original: "ann@example.com" })).toBe(true);
    expect(refused({ type: "redaction", placeholder: "[EMAIL_1]", redactionType: "ann@example.com" })).toBe(true);
    expect(refused({ type: "tool-result", callId: "c", content: "ok", isError: "no" })).toBe(true);
  });

  it("derives text and reasoning parts from a stored message, reasoning first, no empty parts", () => {
    expect(textParts("Hi", "")).toEqual([{ type: "text", text: "Hi" }]);
    expect(textParts("", "")).toEqual([]);
    expect(textParts("Hi", "hmm")).toEqual([{ type: "reasoning", text: "hmm" }, { type: "text", text: "Hi" }]);
  });

  it("rebuilds text and reasoning parts after a change and keeps the other parts and the reasoning's measures", () => {
    const before = { content: "The ans", reasoning: "Let me think", parts: good };
    const after = withTextParts({ ...before, content: "The answer is 4" });
    expect(after.parts).toEqual([
      { type: "reasoning", text: "Let me think", tokens: 12, durationMs: 800 },
      { type: "text", text: "The answer is 4" },
      ...good.slice(2),
    ]);
  });
});

describe("numbered chat events", () => {
  it("every chat event that crosses to a window carries its conversation's number", () => {
    const delta = { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Hi" };
    expect(events.chat.safeParse(delta).success).toBe(false);
    expect(events.chat.parse({ ...delta, seq: 7 })).toEqual({ ...delta, seq: 7 });
    for (const seq of [0, -1, 1.5, "7", Number.MAX_SAFE_INTEGER + 2]) {
      expect(sequencedChatEventSchema.safeParse({ ...delta, seq }).success, String(seq)).toBe(false);
    }
  });

  it("message-added carries the stored message, parts included", () => {
    const added = { type: "message-added", conversationId: "c1", message: { ...message, role: "user" }, seq: 3 };
    expect(events.chat.parse(added)).toEqual(added);
    expect(events.chat.safeParse({ ...added, message: { ...added.message, parts: [{ type: "video" }] } }).success).toBe(false);
  });

  it("catchUpChat takes a number and returns events or a reset; getConversation says its last number", () => {
    const catchUp = methods.catchUpChat;
    expect(catchUp.input.safeParse({ conversationId: "c1", afterSeq: 4 }).success).toBe(true);
    expect(catchUp.input.safeParse({ conversationId: "c1", afterSeq: -1 }).success).toBe(false);
    expect(catchUp.input.safeParse({ conversationId: "c1", afterSeq: 1, extra: true }).success).toBe(false);
    const delta = { type: "text-delta", conversationId: "c1", messageId: "a1", text: "Hi", seq: 5 };
    expect(catchUp.output.parse({ reset: false, events: [delta], lastSeq: 5 })).toEqual({ reset: false, events: [delta], lastSeq: 5 });
    expect(catchUp.output.parse({ reset: true, lastSeq: 9 })).toEqual({ reset: true, lastSeq: 9 });
    expect(catchUp.output.safeParse({ reset: false, events: [{ ...delta, seq: undefined }], lastSeq: 5 }).success).toBe(false);
    const conversation = methods.getConversation.output.shape;
    expect(conversation.lastSeq.safeParse(0).success).toBe(true);
    expect(conversation.lastSeq.safeParse(undefined).success).toBe(false);
  });
});
