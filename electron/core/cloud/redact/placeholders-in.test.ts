import { describe, expect, it } from "vitest";
import { placeholdersIn } from "./placeholders-in.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

/** Several values of very different lengths, so every offset after the first drifts if taken from the original text. */
const TEXT = "Mail dana.whitfield@example.com, call (217) 555-0143, pay DE89 3704 0044 0532 0130 00, then mail dana.whitfield@example.com again.";

describe("placeholdersIn: the contract's RedactionInfo, offsets in the redacted text", () => {
  const result = createRedactor().redact(TEXT, emptyPlaceholderMap());
  const reports = placeholdersIn(result.text, 1, result.map);

  it("points each report at its placeholder in the text that leaves, with the value it hides", () => {
    expect(reports.length).toBeGreaterThanOrEqual(3);
    for (const r of reports) {
      expect(result.text.slice(r.start, r.end)).toBe(r.placeholder);
      expect(TEXT).toContain(r.original);
      expect(r.messageIndex).toBe(1);
    }
    expect(reports.map((r) => r.original)).toEqual(expect.arrayContaining(["dana.whitfield@example.com", "(217) 555-0143", "DE89 3704 0044 0532 0130 00"]));
    // In reading order, once per placeholder: the repeated email is one report (its second place is found by shape).
    expect(reports.map((r) => r.start)).toEqual([...reports.map((r) => r.start)].sort((a, b) => a - b));
    expect(new Set(reports.map((r) => r.placeholder)).size).toBe(reports.length);
  });

  it("differs from the redactor's own offsets, which are in the original text (sending those was the bug)", () => {
    const drifted = result.redactions.filter((r) => result.text.slice(r.start, r.end) !== r.placeholder);
    expect(drifted.length).toBeGreaterThan(0);
    for (const r of result.redactions) expect(TEXT.slice(r.start, r.end)).toBe(r.original);
  });

  it("reports placeholders an earlier message minted, and leaves look-alikes the map does not know", () => {
    const edited = `As before, write to ${reports[0]!.placeholder}; the [FOO_1] array stays.`;
    const again = placeholdersIn(edited, 2, result.map);
    expect(again).toEqual([{ ...reports[0]!, messageIndex: 2, start: edited.indexOf("["), end: edited.indexOf("[") + reports[0]!.placeholder.length }]);
  });
});
