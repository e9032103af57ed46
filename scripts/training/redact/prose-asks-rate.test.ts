import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRedactor, emptyPlaceholderMap } from "../../../electron/core/cloud/redact/redactor.js";
import { findEvalSetDir, loadEvalSet } from "./eval-set.js";

const redactor = createRedactor();
const doubtsOf = (text: string) => redactor.redact(text, emptyPlaceholderMap()).doubts;

/**
 * How often Auto would ask on ordinary PII-free prose: the dev rows of the evaluation set's prose (the held-out third
 * is never read here) and Hearth's own sample of domain prose with credential words but no values.
 */
describe("the Auto-asks rate on PII-free prose", () => {
  const dir = findEvalSetDir();
  const dev = dir ? loadEvalSet(dir).prose.filter((row) => row.split === "dev").map((row) => row.text) : [];
  const own = (JSON.parse(readFileSync(new URL("../../../test/fixtures/unsure-prose.json", import.meta.url), "utf8")) as { sentences: string[] }).sentences;

  it("the evaluation set's dev prose is there to measure on", () => {
    expect(dev.length).toBeGreaterThanOrEqual(200);
  });

  for (const [name, texts] of [["evaluation set, dev rows", dev], ["Hearth's own sample", own]] as const) {
    // Measured at 2/226 (dev rows) and 0/100 (own sample) when the thresholds were chosen; 2 % is the guard.
    it(`${name}: at most 2 % of messages ask`, () => {
      const asked = texts.filter((text) => doubtsOf(text).length > 0);
      console.log(`Auto-asks rate on PII-free prose (${name}): ${asked.length}/${texts.length}`);
      expect(asked.length / texts.length, asked.join("\n")).toBeLessThanOrEqual(0.02);
    });
  }
});
