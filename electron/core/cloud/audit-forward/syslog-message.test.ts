import { describe, expect, it } from "vitest";
import type { ForwardRecord } from "./forward-queue.js";
import { octetFrame, syslogMessage } from "./syslog-message.js";

const record = (overrides: Partial<ForwardRecord> = {}): ForwardRecord => ({
  id: "e1",
  time: Date.UTC(2026, 11, 3, 10, 42, 0, 123),
  conversationId: null,
  conversationTitle: "Grüße ] \"quoted\"",
  purpose: "chat",
  providerName: "Acme",
  providerKind: "openai-compatible",
  model: null,
  host: "llm.example",
  payload: "{}",
  bytesSent: 2,
  bytesReceived: 0,
  tokensIn: null,
  tokensOut: null,
  costUsd: null,
  outcome: "ok",
  error: null,
  durationMs: 3,
  payloadSha256: "a".repeat(64),
  erased: false,
  seq: 7,
  entryId: "e1",
  event: "close",
  prevHash: "b".repeat(64),
  hash: "c".repeat(64),
  state: "{}",
  ...overrides,
});

describe("RFC 5424 message with RFC 6587 octet counting", () => {
  it("formats the header, structured data and a BOM-marked JSON message", () => {
    const message = syslogMessage(record(), { hostname: "host name\n", appName: "hearth", procId: 42 });
    expect(message.startsWith(`<110>1 2026-12-03T10:42:00.123Z hostname hearth 42 audit [hearth@32473 seq="7" event="close" hash="${"c".repeat(64)}"] \uFEFF{`)).toBe(true);
    expect(JSON.parse(message.slice(message.indexOf("\uFEFF") + 1))).toEqual(record());
    expect(syslogMessage(record({ outcome: "error" }), { hostname: "", appName: "", procId: 1 })).toMatch(/^<108>1 \S+ - - 1 audit /);
  });

  it("escapes SD-PARAM values", () => {
    expect(syslogMessage(record({ event: 'x"]\\' }), { hostname: "h", appName: "a", procId: 1 })).toContain('event="x\\"\\]\\\\"');
  });

  it("counts bytes, not characters", () => {
    const frame = octetFrame("ü€");
    expect(frame.toString("utf8")).toBe("5 ü€");
  });
});
