import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const dates = (text: string): string[] => found(text).filter(([t]) => t === "DATE").map(([, v]) => v);

describe("dates of birth", () => {
  it("numeric and written dates in six languages", () => {
    const cases: Array<[string, string]> = [
      ["born 12.03.1961 in Ulm", "12.03.1961"],
      ["DOB 03/12/1961", "03/12/1961"],
      ["DOB: 1961-03-12", "1961-03-12"],
      ["born on 12 March 1961", "12 March 1961"],
      ["geboren am 12. März 1961", "12. März 1961"],
      ["né le 12 mars 1961 à Lyon", "12 mars 1961"],
      ["née le 1er janvier 1961", "1er janvier 1961"],
      ["geboren op 12 maart 1961", "12 maart 1961"],
      ["nato il 12 marzo 1961 a Roma", "12 marzo 1961"],
      ["fecha de nacimiento: 12 de marzo de 1961", "12 de marzo de 1961"],
      ["nacido el 3 de agosto de 1975", "3 de agosto de 1975"],
      ["Geburtsdatum: 12.3.61", "12.3.61"],
    ];
    for (const [text, value] of cases) expect(dates(text), text).toEqual([value]);
  });

  it("a bare year only next to a birth word", () => {
    for (const [text, value] of [
      ["geb. 1961", "1961"],
      ["born in 1961", "1961"],
      ["née en 1961", "1961"],
      ["nato nel 1961", "1961"],
      ["nacida en 1961", "1961"],
      ["DOB: March 1961", "March 1961"],
    ] as const) {
      expect(dates(text), text).toEqual([value]);
    }
    expect(dates("In 1961 the wall went up; NATO 2024 summit")).toEqual([]);
  });

  it("not version numbers, sort codes or impossible dates", () => {
    expect(dates("version 1.2.33 and v2.10.24")).toEqual([]);
    expect(dates("values 12-34-56 and 40/13/2020")).toEqual([]);
  });
});
