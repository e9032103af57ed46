import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/contract.js";
import { auditTotals, formatAuditRow } from "./audit-format.js";
import { auditReviewText } from "./audit-review-text.js";
import { AuditRow } from "./AuditView.js";

const entry: AuditEntry = {
  id: "a1",
  time: new Date(2026, 11, 3, 10, 42).getTime(),
  conversationId: "c1",
  conversationTitle: "Wi-Fi at the clinic",
  purpose: "chat",
  providerName: "Team vLLM",
  providerKind: "openai-compatible",
  model: "big-model",
  host: "llm.example",
  payload: "{}",
  bytesSent: 2,
  bytesReceived: 10,
  tokensIn: 1,
  tokensOut: 2,
  costUsd: null,
  outcome: "ok",
  error: null,
  durationMs: 5,
  review: {
    heldBecause: "unsure",
    doubts: [
      { reason: "credential", count: 1, types: ["SECRET"] },
      { reason: "low-confidence", count: 2, types: ["CASE_NUMBER", "PERSON"] },
    ],
    decision: "sent",
    edited: true,
    bytes: 1234,
  },
};

describe("the audit viewer on held requests", () => {
  it("says why Auto asked, of which kinds, and what the user decided", () => {
    expect(auditReviewText(entry.review!)).toEqual({
      held: "Held for approval in Auto mode: Hearth was not sure it hid everything (1 credential-like value (secret or key) and 2 values found with low confidence (case number, name)).",
      decision: "You edited it, then approved sending it (1,234 bytes).",
    });
    expect(auditReviewText({ heldBecause: "ask-mode", doubts: [], decision: "kept-local", edited: false, bytes: 1 })).toEqual({
      held: "Held for approval (Ask mode).",
      decision: "You kept it on this computer: nothing was sent (1 byte held back).",
    });
  });

  it("marks a held row, and a refused one as not sent (not a failure)", () => {
    const html = renderToStaticMarkup(<table><tbody><AuditRow entry={entry} /></tbody></table>);
    expect(html).toContain('data-held="unsure"');
    expect(html).toMatch(/data-testid="audit-held"[^>]*>Asked: unsure</);
    const declined: AuditEntry = { ...entry, outcome: "declined", payload: "", bytesSent: 0, bytesReceived: 0, durationMs: 0, review: { ...entry.review!, decision: "kept-local" } };
    expect(formatAuditRow(declined).outcomeLabel).toBe("Not sent");
    expect(auditTotals([entry, declined]).failed).toBe(0);
    const plain: AuditEntry = { ...entry, review: undefined };
    expect(renderToStaticMarkup(<table><tbody><AuditRow entry={plain} /></tbody></table>)).not.toContain("audit-held");
  });
});
