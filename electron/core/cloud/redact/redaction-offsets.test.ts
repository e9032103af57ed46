import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Detection } from "./detection.js";
import { createRedactor, emptyPlaceholderMap, type RedactionResult } from "./redactor.js";

/**
 * Every Redaction's `start`/`end` point into the ORIGINAL text, where its `original` stands; together they rebuild
 * the redacted text exactly. The preview and the audit rely on it.
 */
const corpus = JSON.parse(readFileSync(new URL("../../../../test/fixtures/pii-messages.json", import.meta.url), "utf8")) as {
  messages: { id: string; text: string }[];
};
const tricky = [
  "😀😀 Email ana@ruiz.es, then call Dr. Maria Gonzalez on (217) 555-0143.",
  "Line one\r\nPatient: Jan Kowalski\r\nDOB 03/14/1962\r\nIBAN DE89 3704 0044 0532 0130 00",
  "Ünïcödé first: Zoë Åström-Ñúñez lives at 12 Rue de Rivoli, Paris; mail zoe@example.fr 👋🏽",
  "Tabs\tand\u00a0non-breaking spaces: card 4539 1488 0343 6467\u2028next line sk-proj-4fT9kQ2LmX8vB1nR7sW3yZ6cJ0dH5gP",
];

/** No lone surrogate (half an emoji). */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

function expectConsistent(text: string, out: RedactionResult): void {
  let rebuilt = "";
  let cursor = 0;
  for (const r of out.redactions) {
    expect(text.slice(r.start, r.end), `${r.type} in ${JSON.stringify(text)}`).toBe(r.original);
    expect(r.start).toBeGreaterThanOrEqual(cursor);
    rebuilt += text.slice(cursor, r.start) + r.placeholder;
    cursor = r.end;
  }
  rebuilt += text.slice(cursor);
  expect(rebuilt).toBe(out.text);
  // No placeholder splits a character: the redacted text is well-formed.
  expect(wellFormed(out.text)).toBe(wellFormed(text));
  for (const d of out.doubts) {
    expect(d.start).toBeGreaterThanOrEqual(0);
    expect(d.end).toBeLessThanOrEqual(text.length);
    expect(d.start).toBeLessThan(d.end);
  }
}

describe("redaction offsets point into the original text", () => {
  const redactor = createRedactor({ customTerms: ["Bluebird"] });
  for (const text of [...corpus.messages.map((m) => m.text), ...tricky]) {
    it(JSON.stringify(text.slice(0, 50)), () => {
      // A conversation's second message too: known values are found again at their offsets in the new text.
      const first = redactor.redact(text, emptyPlaceholderMap());
      expectConsistent(text, first);
      const again = `Again: ${text}`;
      expectConsistent(again, redactor.redact(again, first.map));
    });
  }

  it("an extra detector's impossible span (indexOf's -1, past the end, not whole numbers) is ignored, not trusted", () => {
    const text = "Call Dana at noon about the merger.";
    const broken: Detection[] = [
      { type: "PERSON", start: text.indexOf("Danielle"), end: text.indexOf("Danielle") + 8 },
      { type: "ORG", start: 20, end: 999 },
      { type: "ORG", start: 1.5, end: 4 },
      { type: "ORG", start: 8, end: 8 },
    ];
    const out = createRedactor({ detectors: [() => broken] }).redact(text, emptyPlaceholderMap());
    expectConsistent(text, out);
    expect(out.text).toContain("about the merger.");
    expect(out.redactions.every((r) => r.type !== "ORG")).toBe(true);
  });

  it("an edited preview's own placeholders are not values: they are neither redacted again nor doubted", () => {
    const redactor = createRedactor();
    const first = redactor.redact("The Wi-Fi password: Tr0ub4dor&3 broke. Mail ana@ruiz.es and Dr. Maria Gonzalez.", emptyPlaceholderMap());
    expect(first.text).toContain("password: [SECRET_1]");
    // What the user saves after an Edit: the first preview's placeholders, plus new text.
    const edited = `${first.text} Also the PIN: [SECRET_1], and ask [PERSON_1] to mail [EMAIL_1].`;
    const again = redactor.redact(edited, first.map);
    expectConsistent(edited, again);
    expect(again.text).toBe(edited);
    expect(again.text).not.toMatch(/\[\[/);
    expect(again.doubts).toEqual([]);
    expect(redactor.restore(again.text, again.map)).toContain("PIN: Tr0ub4dor&3, and ask Maria Gonzalez to mail ana@ruiz.es.");
    // A placeholder the conversation never gave out is ordinary text.
    expect(redactor.redact("password: [SECRET_9]x", first.map).redactions.length).toBeGreaterThan(0);
  });

  it("an extra detector's span that cuts an emoji in half is widened to the whole character", () => {
    const text = "Project 🦊Fox is secret.";
    const start = text.indexOf("🦊") + 1; // between the two halves of the emoji
    const out = createRedactor({ detectors: [() => [{ type: "CUSTOM", start, end: text.indexOf(" is") }]] }).redact(text, emptyPlaceholderMap());
    expectConsistent(text, out);
    expect(out.redactions.find((r) => r.type === "CUSTOM")?.original).toBe("🦊Fox");
  });
});
