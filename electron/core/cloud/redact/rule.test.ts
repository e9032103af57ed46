import { describe, expect, it } from "vitest";
import { runRules, type Rule } from "./rule.js";

describe("runRules: corrections between rules", () => {
  it("keeps one detection when a value is found twice as one type and once as a type that corrects it", () => {
    // Before: the later duplicate was dropped, still corrected the ACCOUNT, which corrected the kept ID: nothing left.
    const text = "ref DE281937465 here";
    const rules: Rule[] = [
      { type: "NATIONAL_ID", re: /DE\d{9}/g },
      { type: "NATIONAL_ID", re: /DE\d{9}/g, overrides: ["ACCOUNT"] },
      { type: "ACCOUNT", re: /DE\d{9}/g, overrides: ["NATIONAL_ID"] },
    ];
    const found = runRules(text, rules);
    expect(found.map((d) => [d.type, text.slice(d.start, d.end)])).toEqual([["NATIONAL_ID", "DE281937465"]]);
  });

  it("a kept duplicate still corrects what the dropped one would have", () => {
    const text = "account number 61329950";
    const rules: Rule[] = [
      { type: "ACCOUNT", re: /\d{8}/g },
      { type: "ACCOUNT", re: /\d{8}/g, overrides: ["PHONE"] },
      { type: "PHONE", re: /\d{8}/g },
    ];
    expect(runRules(text, rules).map((d) => d.type)).toEqual(["ACCOUNT"]);
  });
});
