import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/contract.js";
import { auditTotals, formatAuditRow, formatAuditTime, formatCost, formatTokens, prettyPayload } from "./audit-format.js";

const entry: AuditEntry = {
  id: "a1",
  time: new Date(2025, 2, 14, 9, 26, 53).getTime(),
  conversationId: "c1",
  conversationTitle: "Induction proof",
  purpose: "chat",
  providerName: "Acme Cloud",
  providerKind: "openai-compatible",
  model: "acme-large",
  host: "127.0.0.1:4010",
  payload: '{"model":"acme-large","messages":[{"role":"user","content":"hi [EMAIL_1]"}]}',
  bytesSent: 1_234,
  bytesReceived: 56,
  tokensIn: 120,
  tokensOut: 45,
  costUsd: 0.00123,
  outcome: "ok",
  error: null,
  durationMs: 850,
};

describe("audit formatting", () => {
  it("formats a row with every column as text", () => {
    expect(formatAuditRow(entry)).toEqual({
      id: "a1",
      time: "2025-03-14 09:26:53",
      conversation: "Induction proof",
      purpose: "Chat answer",
      provider: "Acme Cloud",
      model: "acme-large",
      host: "127.0.0.1:4010",
      sent: "1.2 KB",
      received: "56 B",
      tokens: "120 in · 45 out",
      cost: "$0.0012",
      duration: "850 ms",
      outcome: "ok",
      outcomeLabel: "Sent",
      error: null,
    });
  });

  it("shows dashes for what is unknown and the error of a failed send", () => {
    const failed = formatAuditRow({
      ...entry,
      conversationId: null,
      conversationTitle: null,
      model: null,
      tokensIn: null,
      tokensOut: null,
      costUsd: null,
      durationMs: null,
      outcome: "error",
      error: "HTTP 500",
    });
    expect(failed).toMatchObject({ conversation: "—", model: "—", tokens: "—", cost: "—", duration: "—", outcomeLabel: "Failed", error: "HTTP 500" });
  });

  it("labels an entry still open as in progress, one a crash left open as interrupted, a closed stop as stopped", () => {
    const open = { ...entry, outcome: "aborted" as const, durationMs: null, error: null };
    expect(formatAuditRow(open).outcomeLabel).toBe("In progress");
    expect(formatAuditRow({ ...open, error: "Interrupted: Hearth stopped before this request ended (closed or crashed)." }).outcomeLabel).toBe("Interrupted");
    expect(formatAuditRow({ ...open, durationMs: 1454, error: "Cancelled" }).outcomeLabel).toBe("Stopped");
  });

  it("formats costs, tokens and times", () => {
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.00001)).toBe("< $0.0001");
    expect(formatCost(0.5)).toBe("$0.5");
    expect(formatCost(12.345)).toBe("$12.35");
    expect(formatTokens(10, null)).toBe("10 in · ? out");
    expect(formatAuditTime(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe("2024-01-02 03:04:05");
  });

  it("pretty-prints JSON payloads and keeps anything else as it is", () => {
    const pretty = prettyPayload(entry.payload);
    expect(pretty.json).toBe(true);
    expect(pretty.text).toContain('\n  "messages": [');
    expect(JSON.parse(pretty.text)).toEqual(JSON.parse(entry.payload));
    expect(prettyPayload("{not json")).toEqual({ text: "{not json", json: false });
    expect(prettyPayload("GET /api/models?search=x")).toEqual({ text: "GET /api/models?search=x", json: false });
  });

  it("adds up totals", () => {
    expect(auditTotals([entry, { ...entry, id: "a2", costUsd: null, outcome: "error" }])).toEqual({
      count: 2,
      bytesSent: 2_468,
      bytesReceived: 112,
      costUsd: 0.00123,
      failed: 1,
    });
    expect(auditTotals([{ ...entry, costUsd: null }]).costUsd).toBeNull();
  });
});
