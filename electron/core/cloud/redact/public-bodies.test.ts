import { describe, expect, it } from "vitest";
import { dropInsidePublicBodies, publicBodyRanges } from "./public-bodies.js";

describe("public bodies", () => {
  const names = (text: string) => publicBodyRanges(text).map(([s, e]) => text.slice(s, e));

  it("finds central banks, courts and ministries in the six languages", () => {
    expect(names("The Bank of England and the European Central Bank disagree.")).toEqual(["Bank of England", "European Central Bank"]);
    expect(names("Das AG München und das Landgericht Hamburg haben entschieden.")).toEqual(["Das AG München", "Landgericht Hamburg"]);
    expect(names("Appel devant la Cour d'appel de Lyon.")).toEqual(["Cour d'appel de Lyon"]);
    expect(names("Ricorso al Tribunale di Milano.")).toEqual(["Tribunale di Milano"]);
    expect(names("El Banco de España y la Audiencia Nacional.")).toEqual(["Banco de España", "Audiencia Nacional"]);
    expect(names("De Hoge Raad en De Nederlandsche Bank.")).toEqual(["Hoge Raad", "De Nederlandsche Bank"]);
  });

  it("leaves a company's branch alone: 'Siemens AG Berlin' is no court", () => {
    expect(names("Die Siemens AG Berlin hat gekündigt.")).toEqual([]);
  });

  it("drops only name finds wholly inside a public body's name", () => {
    const text = "The Bank of England wrote to Anna Smith.";
    const kept = dropInsidePublicBodies(text, [
      { type: "ORG", start: 4, end: 8 },
      { type: "LOCATION", start: 12, end: 19 },
      { type: "PERSON", start: 29, end: 39 },
      { type: "EMAIL", start: 4, end: 19 },
    ]);
    expect(kept.map((d) => d.type)).toEqual(["PERSON", "EMAIL"]);
  });
});
