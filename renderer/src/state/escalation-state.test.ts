import { describe, expect, it } from "vitest";
import type { AuditEntry, EscalationProposal } from "../api/contract.js";
import { testAuditEntry } from "../test/test-audit-entry.js";
import { appendAuditEntry, auditEntriesOf, cloudSendCount, emptyAuditState, setAuditEntries } from "./audit-state.js";
import { applyEscalationEvent, noPendingProposals, setPendingProposal } from "./escalation-state.js";

const proposal: EscalationProposal = {
  id: "p1",
  conversationId: "c1",
  userMessageId: "u1",
  providerId: "prov",
  providerName: "Acme",
  model: "acme-large",
  payload: [{ role: "user", content: "Prove it and mail [EMAIL_1]" }],
  redactions: [{ type: "EMAIL", placeholder: "[EMAIL_1]", original: "a@b.c", messageIndex: 0, start: 18, end: 27 }],
  requestBody: '{"model":"acme-large","messages":[{"role":"user","content":"Prove it and mail [EMAIL_1]"}],"stream":true}',
  bytes: 102,
  router: { score: 0.8, target: "cloud", threshold: 0.5, reasons: ["multi-step math"] },
  createdAt: 100,
};

describe("pending escalation proposals", () => {
  it("holds the proposed one and clears it when resolved", () => {
    const proposed = applyEscalationEvent(noPendingProposals, { type: "escalation-proposed", conversationId: "c1", proposal });
    expect(proposed.c1).toBe(proposal);
    const resolved = applyEscalationEvent(proposed, { type: "escalation-resolved", conversationId: "c1", proposalId: "p1" });
    expect(resolved.c1).toBeUndefined();
  });

  it("keeps a revised proposal when the old one's resolution arrives late", () => {
    const revised = { ...proposal, id: "p2", createdAt: 200 };
    const state = setPendingProposal(setPendingProposal(noPendingProposals, "c1", proposal), "c1", revised);
    expect(state.c1?.id).toBe("p2");
    expect(applyEscalationEvent(state, { type: "escalation-resolved", conversationId: "c1", proposalId: "p1" })).toBe(state);
    // An older proposal (a slow reply) does not replace the newer one.
    expect(setPendingProposal(state, "c1", proposal)).toBe(state);
  });

  it("leaves the state alone for stream events and clearing what is not there", () => {
    expect(
      applyEscalationEvent(noPendingProposals, { type: "text-delta", conversationId: "c1", messageId: "a", text: "x" }),
    ).toBe(noPendingProposals);
    expect(setPendingProposal(noPendingProposals, "c1", null)).toBe(noPendingProposals);
  });
});

function audit(id: string, time: number, conversationId: string | null, purpose: AuditEntry["purpose"] = "chat"): AuditEntry {
  return testAuditEntry(id, time, { conversationId, conversationTitle: conversationId, purpose, durationMs: null });
}

describe("audit state", () => {
  it("lists entries newest first and appends live ones once, in time order", () => {
    const loaded = setAuditEntries(emptyAuditState, [audit("a", 1, "c1"), audit("b", 3, "c2")]);
    expect(loaded.ids).toEqual(["b", "a"]);
    expect(loaded.loaded).toBe(true);
    const live = appendAuditEntry(loaded, audit("c", 5, "c1"));
    expect(live.ids).toEqual(["c", "b", "a"]);
    expect(appendAuditEntry(live, audit("c", 5, "c1")).ids).toEqual(["c", "b", "a"]);
    expect(appendAuditEntry(live, audit("old", 0, null)).ids).toEqual(["c", "b", "a", "old"]);
    expect(appendAuditEntry(live, audit("mid", 2, null)).ids).toEqual(["c", "b", "mid", "a"]);
  });

  it("keeps live entries that arrived before the list, and filters by conversation", () => {
    const live = appendAuditEntry(emptyAuditState, audit("new", 9, "c1"));
    const loaded = setAuditEntries(live, [audit("a", 1, "c1"), audit("t", 2, null, "provider-test")]);
    expect(loaded.ids).toEqual(["new", "t", "a"]);
    expect(auditEntriesOf(loaded, "c1").map((e) => e.id)).toEqual(["new", "a"]);
    expect(auditEntriesOf(loaded, null)).toHaveLength(3);
    expect(cloudSendCount(loaded, "c1")).toBe(2);
    expect(cloudSendCount(loaded, "c2")).toBe(0);
  });
});
