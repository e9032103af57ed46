import { describe, expect, it } from "vitest";
import { auditVerifyText } from "./audit-verify-text.js";

const checked = { signatures: "checked" as const, note: null };

describe("auditVerifyText", () => {
  it("says intact with the count and that signatures were checked, or names the first broken link", () => {
    expect(auditVerifyText({ ok: true, entries: 12, links: 30, firstBroken: null, ...checked })).toBe("Intact: 12 entries, signatures and head checked");
    expect(auditVerifyText({ ok: true, entries: 1, links: 2, firstBroken: null, ...checked })).toBe("Intact: 1 entry, signatures and head checked");
    expect(
      auditVerifyText({ ok: false, entries: 3, links: 6, firstBroken: { seq: 4, entryId: "e-2", reason: "The entry was deleted." }, ...checked }),
    ).toBe("Broken at link 4 (entry e-2): The entry was deleted.");
    expect(
      auditVerifyText({ ok: false, entries: 3, links: 6, firstBroken: { seq: 7, entryId: null, reason: "The head file (audit-head.json) was edited." }, ...checked }),
    ).toBe("Broken at link 7: The head file (audit-head.json) was edited.");
  });

  it("states when the signatures could not be checked, without calling it a failure", () => {
    const note = "The audit signing key could not be unsealed. Signatures were not checked; the hashes and the head file's position were.";
    expect(auditVerifyText({ ok: true, entries: 2, links: 4, firstBroken: null, signatures: "unchecked", note })).toBe(`Intact: 2 entries (${note})`);
  });
});
