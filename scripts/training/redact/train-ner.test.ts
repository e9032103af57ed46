import { describe, expect, it } from "vitest";
import { detectEntities } from "../../../electron/core/cloud/redact/ner.js";
import { trainNer } from "./train-ner.js";

describe("the tagger", () => {
  it("learns names from labelled examples", () => {
    const rows = ["Ana", "Bo", "Cy", "Dee", "Eve", "Flo"].map((name, i) => ({
      id: String(i),
      text: `Please call ${name} tomorrow about the invoice.`,
      spans: [{ type: "PERSON", value: name, start: 12, end: 12 + name.length }],
    }));
    const model = trainNer(rows, { epochs: 5 });
    const text = "Please call Gus tomorrow about the invoice.";
    expect(new Set(detectEntities(text, model).map((d) => text.slice(d.start, d.end)))).toEqual(new Set(["Gus"]));
  });
});
