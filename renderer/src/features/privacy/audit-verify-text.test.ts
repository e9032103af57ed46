import { describe, expect, it } from "vitest";
import { auditVerifyText } from "./audit-verify-text.js";

describe("auditVerifyText", () => {
  it("says intact with the count, or names the first broken link", () => {
    expect(auditVerifyText({ ok: true, entries: 12, links: 30, firstBroken: null })).toBe("Intact: 12 entries");
    expect(auditVerifyText({ ok: true, entries: 1, links: 2, firstBroken: null })).toBe("Intact: 1 entry");
    expect(auditVerifyText({ ok: false, entries: 3, links: 6, firstBroken: { seq: 4, entryId: "e-2", reason: "The entry was deleted." } })).toBe(
      "Broken at link 4 (entry e-2): The entry was deleted.",
    );
  });
});
