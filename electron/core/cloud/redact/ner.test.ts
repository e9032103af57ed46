import { describe, expect, it } from "vitest";
import { detectEntities } from "./ner.js";

const valuesOf = (text: string, type: string): string[] =>
  detectEntities(text).filter((d) => d.type === type).map((d) => text.slice(d.start, d.end));

describe("entity cues that need no training", () => {
  it("names after honorifics and 'my name is', with the sentence's full stop left alone", () => {
    expect(valuesOf("Please ask Dr. Ingrid Svensson.", "PERSON")).toContain("Ingrid Svensson");
    expect(valuesOf("Her maiden name is Key", "PERSON")).toContain("Key");
  });
  it("house numbers before a street type, units and company suffixes", () => {
    expect(valuesOf("She lives at 42 Maple Avenue with her son", "ADDRESS")).toContain("42 Maple Avenue");
    expect(valuesOf("flat 3, apt. 169", "ADDRESS")).toContain("apt. 169");
    expect(valuesOf("counsel at Hargrove & Whitley LLP says", "ORG")).toContain("Hargrove & Whitley LLP");
  });
  it("every later mention of a name found once", () => {
    const text = "Verses from Faina D. Yefremova's tales. Early Yefremova is best.";
    expect(valuesOf(text, "PERSON").filter((v) => v === "Yefremova").length).toBeGreaterThanOrEqual(1);
  });
  it("leaves everyday capitalised words and lower-case jargon in ordinary prose", () => {
    const text = "Revenue grew in the third quarter. Also, is sertraline safe with ibuprofen? The Board meets Monday.";
    expect(detectEntities(text)).toEqual([]);
  });
});
