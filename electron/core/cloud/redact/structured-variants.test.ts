import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";
import { STRUCTURED_NON_PII, STRUCTURED_VARIANTS } from "./structured-variants.data.js";

/**
 * The structured detectors on phrasings written apart from the evaluation set (structured-variants.data.ts):
 * every value must be hidden whole, under its own type, and the look-alikes left alone.
 */

/** Whether `value` (its first occurrence in `text`) lies wholly inside detections of `type`. */
function covered(text: string, value: string, type: RedactionType): boolean {
  const start = text.indexOf(value);
  const spans = resolveOverlaps(text, detectPatterns(text)).filter((d) => d.type === type);
  for (let i = start; i < start + value.length; i++) {
    if (/\s/.test(text[i] ?? "")) continue;
    if (!spans.some((d) => d.start <= i && i < d.end)) return false;
  }
  return true;
}

const TYPES = [...new Set(STRUCTURED_VARIANTS.map(([type]) => type))];

describe("structured detectors on fresh phrasings", () => {
  it("the set is large enough to mean something", () => {
    expect(STRUCTURED_VARIANTS.length).toBeGreaterThanOrEqual(150);
    for (const [, text, value] of STRUCTURED_VARIANTS) expect(text, value).toContain(value);
  });

  for (const type of TYPES) {
    it(`${type}: every value hidden whole under its type`, () => {
      const missed = STRUCTURED_VARIANTS.filter(([t, text, value]) => t === type && !covered(text, value, t)).map(([, text]) => text);
      expect(missed).toEqual([]);
    });
  }

  it("citations, policies and counts that are not personal stay", () => {
    const flagged = STRUCTURED_NON_PII.filter((text) => resolveOverlaps(text, detectPatterns(text)).some((d) => d.type !== "DATE"));
    expect(flagged).toEqual([]);
  });
});
