import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";
import { isbnValid } from "./phones.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);

describe("phone numbers", () => {
  it("take their extension with them", () => {
    const cases: Array<[string, string]> = [
      ["call 345-899-3560x4587 today", "345-899-3560x4587"],
      ["call (898)666-3621x0135 today", "(898)666-3621x0135"],
      ["call 555-123-4567 ext. 12 today", "555-123-4567 ext. 12"],
      ["Tel. 030 1234567, Durchwahl -34 bitte", "030 1234567, Durchwahl -34"],
      ["appelez le 01 23 45 67 89 poste 123 demain", "01 23 45 67 89 poste 123"],
      ["bel 020 123 4567 toestel 12 morgen", "020 123 4567 toestel 12"],
    ];
    for (const [text, value] of cases) expect(found(text), text).toEqual([["PHONE", value]]);
  });

  it("international formats", () => {
    for (const phone of ["+44 20 7946 0958", "+49 (0)30 1234567", "0033 1 23 45 67 89", "+31 6 12345678", "+39 06 1234 5678", "+34 912 345 678"]) {
      expect(found(`Tel: ${phone}.`), phone).toEqual([["PHONE", phone]]);
    }
  });

  it("not resolutions, ISBNs or order numbers", () => {
    expect(found("Screen 1920x1080 at 60 Hz")).toEqual([]);
    expect(found("ISBN 978-3-16-148410-0 is the edition")).toEqual([]);
    expect(found("see 978-3-16-148410-0 and 0-306-40615-2")).toEqual([]);
    expect(found("Order 4482913 shipped")).toEqual([]);
    expect(isbnValid("978-3-16-148410-0")).toBe(true);
    expect(isbnValid("978-3-16-148410-1")).toBe(false);
    expect(isbnValid("0-306-40615-2")).toBe(true);
    // An ISBN-shaped number whose check fails is still taken for a phone.
    expect(found("call 978-3-16-148410-1").map(([t]) => t)).toEqual(["PHONE"]);
  });
});
