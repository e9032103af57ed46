import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const addresses = (text: string): string[] => found(text).filter(([t]) => t === "ADDRESS").map(([, v]) => v);

describe("streets with their house numbers", () => {
  it("in the order each language writes them", () => {
    const cases: Array<[string, string]> = [
      ["Il habite 27 rue de la Paix depuis mai", "27 rue de la Paix"],
      ["au 12 bis avenue Victor Hugo", "12 bis avenue Victor Hugo"],
      ["Sie wohnt in der Hauptstraße 12a seit 2019", "Hauptstraße 12a"],
      ["Lieferung an Goethestr. 5 bitte", "Goethestr. 5"],
      ["Hij woont op Keizersgracht 123-2 in Amsterdam", "Keizersgracht 123-2"],
      ["Abita in Via Roma 5 a Torino", "Via Roma 5"],
      ["in Piazza della Signoria, 3 a Firenze", "Piazza della Signoria, 3"],
      ["Vive en Calle Mayor 10, 3º B desde enero", "Calle Mayor 10, 3º B"],
      ["He lives at 221B Baker Street now", "221B Baker Street"],
    ];
    for (const [text, value] of cases) expect(addresses(text), text).toEqual([value]);
  });

  it("leaves numbered things that are not streets alone", () => {
    for (const text of [
      "Spring 2024 release notes",
      "Offering 3 covers the premium tier",
      "In 2024 Supreme Court rulings changed",
      "Section 5 Main points",
      "take place 3 times a week",
      "a firewall 2 rules deep",
    ]) {
      expect(addresses(text), text).toEqual([]);
    }
  });
});
