import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/contract.js";
import { addAuditPage, emptyAuditState, resetAuditEntries } from "../../state/audit-state.js";
import { useHearth, type HearthState } from "../../state/store.js";
import { AuditView } from "./AuditView.js";
import { testAuditEntry } from "../../test/test-audit-entry.js";

const entry = (id: string, time: number, overrides: Partial<AuditEntry> = {}): AuditEntry =>
  testAuditEntry(id, time, { conversationTitle: "Plans", host: "api.acme.example", ...overrides });

const initial = useHearth.getInitialState();
const original: Partial<HearthState> = { ...initial };

/** Server rendering reads the store's initial state, so the state is put there too. */
function show(state: Partial<HearthState>): string {
  Object.assign(initial, state);
  useHearth.setState(state);
  return renderToStaticMarkup(<AuditView />);
}

afterEach(() => {
  Object.assign(initial, original);
  useHearth.setState(original as HearthState, true);
});

const summary = { count: 5000, bytesSent: 10_000, bytesReceived: 15_000, costUsd: null, failed: 7, logCount: 5000, providerNames: ["Acme", "Team vLLM"] };

describe("the audit view, paged", () => {
  it("shows the core's totals for the whole log, a page of rows, the filters and a way to load older entries", () => {
    const audit = { ...addAuditPage(emptyAuditState, [entry("a", 2), entry("b", 1)], 2), summary };
    const html = show({ audit, auditConversationId: null });
    expect(html.match(/data-testid="audit-row"/g)).toHaveLength(2);
    expect(html).toContain("5000 requests");
    expect(html).toContain("7 failed");
    expect(html).toMatch(/data-testid="audit-more"[^>]*>Load older entries \(2 of 5000 shown\)/);
    expect(html).toContain('data-testid="audit-filters"');
    expect(html).toMatch(/<option value="Team vLLM">Team vLLM<\/option>/);
  });

  it("with every page loaded there is nothing more to load; an empty filtered view says the filters match nothing", () => {
    const done = { ...addAuditPage(emptyAuditState, [entry("a", 2)], 100), summary: { ...summary, count: 1 } };
    expect(show({ audit: done, auditConversationId: null })).not.toContain('data-testid="audit-more"');
    const none = { ...addAuditPage(resetAuditEntries(emptyAuditState, { outcome: "declined" }), [], 100), summary: { ...summary, count: 0 } };
    const html = show({ audit: none, auditConversationId: null });
    expect(html).toContain("No entries match these filters.");
    expect(html).toContain('data-testid="audit-filter-clear"');
    expect(html).toMatch(/<option value="declined" selected="">Declined<\/option>/);
  });
});
