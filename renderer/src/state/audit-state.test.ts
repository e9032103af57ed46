import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../api/contract.js";
import { addAuditPage, appendAuditEntry, auditEntriesOf, auditLogCount, cloudSendCount, type AuditState, emptyAuditState, resetAuditEntries, setSendCount } from "./audit-state.js";
import { testAuditEntry } from "../test/test-audit-entry.js";

const entry = testAuditEntry;

describe("audit state, loaded a page at a time", () => {
  it("remembers where the next page starts and whether there is one", () => {
    const first = addAuditPage(emptyAuditState, [entry("e9", 9), entry("e8", 8)], 2);
    expect(first).toMatchObject({ ids: ["e9", "e8"], cursor: "e8", hasMore: true, loaded: true });
    const last = addAuditPage(first, [entry("e7", 7)], 2);
    expect(last).toMatchObject({ ids: ["e9", "e8", "e7"], cursor: "e7", hasMore: false });
    // An empty last page keeps the cursor and ends paging.
    expect(addAuditPage(first, [], 2)).toMatchObject({ cursor: "e8", hasMore: false });
  });

  it("a live entry older than the loaded pages waits for its page; newer ones show at once", () => {
    const paged = addAuditPage(emptyAuditState, [entry("e9", 9), entry("e8", 8)], 2);
    expect(appendAuditEntry(paged, entry("old", 3)).ids).toEqual(["e9", "e8"]);
    expect(appendAuditEntry(paged, entry("new", 10)).ids).toEqual(["new", "e9", "e8"]);
    // Once every page is loaded, nothing is waiting: an old entry goes in its place.
    const all = addAuditPage(paged, [entry("e2", 2)], 2);
    expect(appendAuditEntry(all, entry("old", 3)).ids).toEqual(["e9", "e8", "old", "e2"]);
  });

  it("applies the view's filter to live entries too", () => {
    const state = addAuditPage(resetAuditEntries(emptyAuditState, { outcome: "error", providerName: "Acme", from: 5, to: 20 }), [], 100);
    const live = [
      entry("match", 10, { outcome: "error" }),
      entry("ok", 11),
      entry("other-provider", 12, { outcome: "error", providerName: "Other" }),
      entry("too-early", 4, { outcome: "error" }),
      entry("too-late", 21, { outcome: "error" }),
      entry("other-chat", 13, { outcome: "error", conversationId: "c2" }),
    ].reduce(appendAuditEntry, state);
    expect(auditEntriesOf(live, "c1").map((e) => e.id)).toEqual(["match"]);
    expect(auditEntriesOf(live, null).map((e) => e.id)).toEqual(["other-chat", "match"]);
  });

  it("counts a conversation's requests from the core's count plus new live ones, across filter changes", () => {
    let state = setSendCount(emptyAuditState, "c1", 4321);
    state = appendAuditEntry(state, entry("n1", 1));
    // The same entry again (its finish) is not a second request.
    state = appendAuditEntry(state, { ...entry("n1", 1), outcome: "error" });
    expect(cloudSendCount(state, "c1")).toBe(4322);
    expect(cloudSendCount(resetAuditEntries(state, { outcome: "ok" }), "c1")).toBe(4322);
    // Without the core's count, what is loaded.
    expect(cloudSendCount(state, "c2")).toBe(0);
  });

  it("counts the whole log for the Audit log link: the core's count, plus new live entries, not the loaded page", () => {
    expect(auditLogCount(addAuditPage(emptyAuditState, [entry("a", 2)], 100))).toBe(1);
    let state: AuditState = { ...addAuditPage(emptyAuditState, [entry("a", 2), entry("b", 1)], 2), logCount: 5000 };
    state = appendAuditEntry(appendAuditEntry(state, entry("c", 3)), { ...entry("c", 3), outcome: "error" });
    expect(auditLogCount(state)).toBe(5001);
    expect(auditLogCount(resetAuditEntries(state, { outcome: "declined" }))).toBe(5001);
  });
});
