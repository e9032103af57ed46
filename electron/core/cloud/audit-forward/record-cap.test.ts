import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ForwardRecord } from "./forward-queue.js";
import { fitRecord, jsonLineBytes, MIN_RECORD_BYTES, type CappedRecord } from "./record-cap.js";
import { syslogMessage } from "./syslog-message.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const record = (overrides: Partial<ForwardRecord> = {}): ForwardRecord => {
  const payload = overrides.payload ?? "{}";
  return {
    id: "e1",
    time: Date.UTC(2026, 11, 3, 10, 42),
    conversationId: "c1",
    conversationTitle: "Review",
    purpose: "chat",
    providerName: "Acme",
    providerKind: "openai-compatible",
    model: "m",
    host: "llm.example",
    payload,
    bytesSent: payload === null ? 0 : Buffer.byteLength(payload),
    bytesReceived: 0,
    tokensIn: null,
    tokensOut: null,
    costUsd: null,
    outcome: "ok",
    error: null,
    durationMs: 3,
    payloadSha256: payload === null ? null : sha256(payload),
    erased: false,
    seq: 7,
    entryId: "e1",
    event: "close",
    prevHash: "b".repeat(64),
    hash: "c".repeat(64),
    state: '{"id":"e1"}',
    ...overrides,
  };
};

describe("fitRecord", () => {
  it("leaves a record that fits, or with no cap, exactly as it is", () => {
    const small = record();
    expect(fitRecord(small, 4096, jsonLineBytes)).toBe(small);
    const big = record({ payload: "x".repeat(100_000) });
    expect(fitRecord(big, null, jsonLineBytes)).toBe(big);
  });

  it("cuts a large payload to its head, keeping its full SHA-256 and byte count, under the cap as JSON", () => {
    // JSON escaping (control characters take 6 bytes, quotes 2) and multi-byte text both count.
    const payload = `{"content":"${"\u0001\"ü€ line\n".repeat(200_000)}"}`;
    const fitted = fitRecord(record({ payload }), 64 * 1024, jsonLineBytes) as CappedRecord;
    expect(jsonLineBytes(fitted)).toBeLessThanOrEqual(64 * 1024);
    expect(fitted).toMatchObject({ truncated: true, payload: null, payloadBytes: Buffer.byteLength(payload), payloadSha256: sha256(payload), limitBytes: 64 * 1024 });
    expect(fitted.hash).toBe("c".repeat(64));
    expect(fitted.state).toBe('{"id":"e1"}');
    expect(payload.startsWith(fitted.payloadHead!)).toBe(true);
    // The head fills the room left (within one escaped character's worth).
    expect(jsonLineBytes(fitted)).toBeGreaterThan(64 * 1024 - 16);
  });

  it("never splits a surrogate pair at the cut", () => {
    const payload = "😀".repeat(50_000);
    for (const cap of [3000, 3001, 3002, 3003]) {
      const fitted = fitRecord(record({ payload }), cap, jsonLineBytes) as CappedRecord;
      expect(jsonLineBytes(fitted)).toBeLessThanOrEqual(cap);
      expect(fitted.payloadHead!.length % 2).toBe(0);
      expect(payload.startsWith(fitted.payloadHead!)).toBe(true);
    }
  });

  it("measures the whole syslog message when given it", () => {
    const identity = { hostname: "h".repeat(255), appName: "a".repeat(48), procId: 123456 };
    const size = (r: ForwardRecord) => Buffer.byteLength(syslogMessage(r, identity), "utf8");
    const fitted = fitRecord(record({ payload: "y".repeat(200_000) }), MIN_RECORD_BYTES, size);
    expect(size(fitted)).toBeLessThanOrEqual(MIN_RECORD_BYTES);
    expect(syslogMessage(fitted, identity)).toContain(' truncated="true"]');
  });

  it("when even that does not fit, sends the link's minimal form: hashes and sizes of what it leaves out", () => {
    const state = JSON.stringify({ id: "e1", conversation_title: "t".repeat(50_000) });
    const original = record({ conversationTitle: "t".repeat(50_000), error: "e".repeat(10_000), payload: "z".repeat(10_000), state });
    const fitted = fitRecord(original, MIN_RECORD_BYTES, jsonLineBytes) as CappedRecord;
    expect(jsonLineBytes(fitted)).toBeLessThanOrEqual(MIN_RECORD_BYTES);
    expect(fitted).toMatchObject({
      truncated: true,
      payload: null,
      payloadBytes: 10_000,
      payloadSha256: sha256("z".repeat(10_000)),
      state: "",
      stateSha256: sha256(state),
      stateBytes: Buffer.byteLength(state),
      conversationTitle: null,
      error: null,
      seq: 7,
      prevHash: "b".repeat(64),
      hash: "c".repeat(64),
      host: "llm.example",
    });
  });

  it("stays under the smallest cap in a syslog message even with the longest header and names that escaping grows", () => {
    const identity = { hostname: "h".repeat(300), appName: "a".repeat(48), procId: 4_194_304 };
    const size = (r: ForwardRecord) => Buffer.byteLength(syslogMessage(r, identity), "utf8");
    const worst = record({
      id: "i".repeat(36),
      entryId: "i".repeat(36),
      conversationId: "c".repeat(100),
      conversationTitle: "t".repeat(9000),
      providerName: '"'.repeat(100),
      providerKind: "\u0001".repeat(100),
      host: "\u0001".repeat(300),
      error: "e".repeat(5000),
      payload: "x".repeat(9000),
      state: "s".repeat(9000),
      bytesSent: 9e15,
      bytesReceived: 9e15,
      tokensIn: 9e15,
      tokensOut: 9e15,
      costUsd: 1.2345678901234567e-7,
      durationMs: 123456789.123456,
      seq: 9e15,
    });
    const fitted = fitRecord(worst, MIN_RECORD_BYTES, size) as CappedRecord;
    expect(size(fitted)).toBeLessThanOrEqual(MIN_RECORD_BYTES);
    expect(fitted).toMatchObject({ truncated: true, seq: 9e15, hash: "c".repeat(64), stateSha256: sha256("s".repeat(9000)) });
  });
});
