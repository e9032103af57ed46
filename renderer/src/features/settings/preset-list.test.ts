import { describe, expect, it } from "vitest";
import { defaultSamplingSettings, type Preset } from "../../api/contract.js";
import { withPreset, withoutPreset } from "./preset-list.js";

const values = { systemPrompt: "Be brief.", temperature: 0.2, maxOutputTokens: 256, sampling: defaultSamplingSettings };
let n = 0;
const newId = () => `p${++n}`;

describe("the preset list", () => {
  it("adds a preset under a new name and updates the one of the same name in place", () => {
    const one: Preset[] = withPreset([], "  Precise ", values, newId);
    expect(one).toEqual([{ id: "p1", name: "Precise", ...values }]);
    const two = withPreset(one, "Creative", { ...values, temperature: 1.2 }, newId);
    expect(two.map((p) => p.name)).toEqual(["Precise", "Creative"]);
    const updated = withPreset(two, "precise", { ...values, temperature: 0 }, newId);
    expect(updated.map((p) => [p.id, p.name, p.temperature])).toEqual([
      ["p1", "Precise", 0],
      ["p2", "Creative", 1.2],
    ]);
    expect(withoutPreset(updated, "p1").map((p) => p.name)).toEqual(["Creative"]);
  });
});
