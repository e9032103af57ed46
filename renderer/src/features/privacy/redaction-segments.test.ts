import { describe, expect, it } from "vitest";
import type { RedactionInfo } from "../../api/contract.js";
import { countHiddenValues, payloadChanged, redactionTypeLabel, segmentsText, splitRedactions } from "./redaction-segments.js";

const content = "Prove it, then email [EMAIL_1] and call [PHONE_1].";
const email: RedactionInfo = { type: "EMAIL", placeholder: "[EMAIL_1]", original: "dana@example.com", messageIndex: 1, start: 21, end: 30 };
const phone: RedactionInfo = { type: "PHONE", placeholder: "[PHONE_1]", original: "+1 555 0100", messageIndex: 1, start: 40, end: 49 };

describe("splitRedactions", () => {
  it("cuts a message into text and marks at the core's offsets", () => {
    const segments = splitRedactions(content, 1, [email, phone]);
    expect(segments).toEqual([
      { kind: "text", text: "Prove it, then email " },
      { kind: "redaction", placeholder: "[EMAIL_1]", type: "EMAIL", original: "dana@example.com" },
      { kind: "text", text: " and call " },
      { kind: "redaction", placeholder: "[PHONE_1]", type: "PHONE", original: "+1 555 0100" },
      { kind: "text", text: "." },
    ]);
    expect(segmentsText(segments)).toBe(content);
  });

  it("ignores redactions of other messages, but marks a known placeholder repeated there", () => {
    expect(splitRedactions("nothing hidden", 0, [email])).toEqual([{ kind: "text", text: "nothing hidden" }]);
    const earlier = splitRedactions("Write to [EMAIL_1]", 0, [email]);
    expect(earlier[1]).toMatchObject({ kind: "redaction", placeholder: "[EMAIL_1]", original: "dana@example.com" });
  });

  it("marks each value at the core's offsets in the payload text, for values of very different lengths", () => {
    // The user wrote: "Ana (ana.maria.ruiz-gonzalez@hospital-example.org) pays DE89 3704 0044 0532 0130 00 to Bo."
    const text = "[PERSON_1] ([EMAIL_1]) pays [IBAN_1] to [PERSON_2].";
    const at = (placeholder: string) => text.indexOf(placeholder);
    const report = (type: string, placeholder: string, original: string): RedactionInfo => ({
      type,
      placeholder,
      original,
      messageIndex: 0,
      start: at(placeholder),
      end: at(placeholder) + placeholder.length,
    });
    const reports = [
      report("PERSON", "[PERSON_1]", "Ana"),
      report("EMAIL", "[EMAIL_1]", "ana.maria.ruiz-gonzalez@hospital-example.org"),
      report("IBAN", "[IBAN_1]", "DE89 3704 0044 0532 0130 00"),
      report("PERSON", "[PERSON_2]", "Bo"),
    ];
    const segments = splitRedactions(text, 0, reports);
    let offset = 0;
    const marks: Array<[number, string | null]> = [];
    for (const segment of segments) {
      if (segment.kind === "redaction") marks.push([offset, segment.original]);
      offset += segment.kind === "text" ? segment.text.length : segment.placeholder.length;
    }
    expect(marks).toEqual(reports.map((r) => [r.start, r.original]));
    expect(segments.map((s) => (s.kind === "text" ? s.text : s.original)).join("")).toBe(
      "Ana (ana.maria.ruiz-gonzalez@hospital-example.org) pays DE89 3704 0044 0532 0130 00 to Bo.",
    );
  });

  it("places a report whose offsets no longer hold its placeholder (text edited in the preview) by its shape", () => {
    const drifted = { ...email, start: 3, end: 12 };
    const segments = splitRedactions(content, 1, [drifted, phone]);
    expect(segments.filter((s) => s.kind === "redaction")).toHaveLength(2);
    expect(segmentsText(segments)).toBe(content);
  });

  it("leaves look-alikes the core did not make as text", () => {
    const segments = splitRedactions("The array [FOO_1] stays", 0, [email]);
    expect(segments).toEqual([{ kind: "text", text: "The array [FOO_1] stays" }]);
  });

  it("handles marks at both ends and an empty message", () => {
    const both = "[EMAIL_1][EMAIL_1]";
    const segments = splitRedactions(both, 0, [{ ...email, messageIndex: 0, start: 0, end: 9 }]);
    expect(segments.map((s) => s.kind)).toEqual(["redaction", "redaction"]);
    expect(splitRedactions("", 0, [])).toEqual([{ kind: "text", text: "" }]);
  });
});

describe("redaction helpers", () => {
  it("labels types and counts distinct hidden values", () => {
    expect(redactionTypeLabel("EMAIL")).toBe("email address");
    expect(redactionTypeLabel("MEDICAL_RECORD")).toBe("medical record");
    const payload = [{ role: "user" as const, content: "Mail [EMAIL_1] or call [PHONE_1]; again [EMAIL_1]" }];
    expect(countHiddenValues({ payload, redactions: [email, { ...email, messageIndex: 0 }, phone] })).toBe(2);
  });

  it("counts exactly the distinct placeholders marked, as after an Edit (every one marked, stale reports not counted)", () => {
    const content = "[PERSON_1] wrote to [EMAIL_1] and [EMAIL_2]; [PERSON_1] called [PHONE_1] about [API_KEY_1].";
    const at = (placeholder: string) => content.indexOf(placeholder);
    const report = (type: string, placeholder: string) => ({
      type,
      placeholder,
      original: `${type.toLowerCase()} value`,
      messageIndex: 0,
      start: at(placeholder),
      end: at(placeholder) + placeholder.length,
    });
    const redactions = [
      report("PERSON", "[PERSON_1]"),
      report("EMAIL", "[EMAIL_1]"),
      report("EMAIL", "[EMAIL_2]"),
      report("PHONE", "[PHONE_1]"),
      report("API_KEY", "[API_KEY_1]"),
      // The user deleted this one in the edit: reported once, no longer shown.
      { ...report("ADDRESS", "[ADDRESS_1]"), start: 0, end: 0 },
    ];
    const segments = splitRedactions(content, 0, redactions);
    const marked = new Set(segments.flatMap((s) => (s.kind === "redaction" ? [s.placeholder] : [])));
    expect(marked).toEqual(new Set(["[PERSON_1]", "[EMAIL_1]", "[EMAIL_2]", "[PHONE_1]", "[API_KEY_1]"]));
    expect(countHiddenValues({ payload: [{ role: "user", content }], redactions })).toBe(marked.size);
  });

  it("tells whether an edit changed the payload", () => {
    const payload = [{ role: "user" as const, content: "a" }];
    expect(payloadChanged(payload, [{ role: "user", content: "a" }])).toBe(false);
    expect(payloadChanged(payload, [{ role: "user", content: "b" }])).toBe(true);
    expect(payloadChanged(payload, [])).toBe(true);
  });
});
