import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** The core behind a fake API: every call recorded, an export answered with a small file. */
const fake = vi.hoisted(() => {
  const calls: Array<{ method: string; input: unknown }> = [];
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => async (input: unknown) => {
      calls.push({ method: name, input });
      return { fileName: "hearth-audit.csv", mimeType: "text/csv", content: "id\r\n" };
    },
  });
  return { api, calls, downloads: [] as unknown[][] };
});
vi.mock("../../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));
vi.mock("../../ui/download-file.js", () => ({ downloadTextFile: (...args: unknown[]) => fake.downloads.push(args) }));

const { addAuditPage, emptyAuditState, resetAuditEntries } = await import("../../state/audit-state.js");
const { useHearth } = await import("../../state/store.js");
const { exportAudit } = await import("../../state/audit-actions.js");
const { AuditView } = await import("./AuditView.js");
const { auditExportText } = await import("./audit-export-text.js");
type HearthState = ReturnType<typeof useHearth.getState>;

const initial = useHearth.getInitialState();
const original: Partial<HearthState> = { ...initial };
const summary = (count: number) => ({ count, bytesSent: 1, bytesReceived: 1, costUsd: null, failed: 0, logCount: 250, providerNames: ["Acme"] });

function show(state: Partial<HearthState>): string {
  Object.assign(initial, state);
  useHearth.setState(state);
  return renderToStaticMarkup(<AuditView />);
}

beforeEach(() => {
  fake.calls.length = 0;
  fake.downloads.length = 0;
});
afterEach(() => {
  Object.assign(initial, original);
  useHearth.setState(original as HearthState, true);
});

describe("the audit view's Export", () => {
  it("says what it saves: the filtered count, or the whole log", () => {
    expect(auditExportText(37, { chat: false, filtered: true })).toBe("Export 37 entries matching the filters");
    expect(auditExportText(1, { chat: true, filtered: true })).toBe("Export 1 entry of this chat matching the filters");
    expect(auditExportText(12, { chat: true, filtered: false })).toBe("Export 12 entries of this chat");
    expect(auditExportText(250, { chat: false, filtered: false })).toBe("Export all 250 entries");
    expect(auditExportText(0, { chat: false, filtered: true })).toBe("No entries matching the filters to export");
    expect(auditExportText(null, { chat: false, filtered: true })).toBe("Export the entries matching the filters");
  });

  it("shows the filtered count beside its buttons, and disables them when nothing matches", () => {
    const filtered = { ...addAuditPage(resetAuditEntries(emptyAuditState, { outcome: "error", providerName: "Acme" }), [], 100), summary: summary(37) };
    const html = show({ audit: filtered, auditConversationId: null });
    expect(html).toContain('data-testid="audit-export-scope">Export 37 entries matching the filters:</span>');
    expect(html).toMatch(/aria-label="Export 37 entries matching the filters as CSV" data-testid="audit-export-csv">CSV</);
    const none = { ...filtered, summary: summary(0) };
    expect(show({ audit: none, auditConversationId: null })).toMatch(/disabled="" aria-label="No entries matching the filters to export as JSON"/);
    expect(show({ audit: { ...addAuditPage(emptyAuditState, [], 100), summary: summary(250) }, auditConversationId: null })).toContain("Export all 250 entries:");
  });

  it("asks the core for the view's chat and filters, not the whole log", async () => {
    const from = Date.UTC(2026, 10, 1);
    useHearth.setState({ audit: resetAuditEntries(emptyAuditState, { outcome: "error", providerName: "Acme", from }), auditConversationId: "conv-1" });
    await exportAudit("csv");
    expect(fake.calls).toEqual([{ method: "exportAudit", input: { format: "csv", outcome: "error", providerName: "Acme", from, conversationId: "conv-1" } }]);
    expect(fake.downloads).toHaveLength(1);
    useHearth.setState({ audit: emptyAuditState, auditConversationId: null });
    await exportAudit("json");
    expect(fake.calls.at(-1)).toEqual({ method: "exportAudit", input: { format: "json" } });
  });
});
