import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const postcodes = (text: string): string[] => found(text).filter(([t]) => t === "POSTCODE").map(([, v]) => v);

describe("postcodes", () => {
  it("UK postcodes by their grammar, marked unsure without a street", () => {
    expect(postcodes("She lives in Bath BA1 2QT now")).toEqual(["BA1 2QT"]);
    expect(postcodes("London SW1A 1AA, EC1A 1BB and W1A 0AX")).toEqual(["SW1A 1AA", "EC1A 1BB", "W1A 0AX"]);
    const d = resolveOverlaps("Bath BA1 2QT", detectPatterns("Bath BA1 2QT"));
    expect(d.map((x) => [x.type, x.confidence])).toEqual([["POSTCODE", 0.85]]);
    // Q, V and X never start a postcode; CI and IK are not inward letters.
    expect(postcodes("codes QA1 2QT and BA1 2CI")).toEqual([]);
  });

  it("US ZIP+4 and ZIP after a state, Canadian postcodes", () => {
    expect(found("Austin, TX 78701-1234")).toEqual([["POSTCODE", "78701-1234"]]);
    expect(postcodes("Springfield, IL 62704")).toEqual(["62704"]);
    expect(postcodes("Ottawa, ON K1A 0B1")).toEqual(["K1A 0B1"]);
  });

  it("Dutch, German, French, Italian and Spanish postcodes before a town or after a street", () => {
    expect(postcodes("1012 AB Amsterdam")).toEqual(["1012 AB"]);
    expect(postcodes("Hauptstraße 12a, 10115 Berlin")).toEqual(["10115"]);
    expect(postcodes("wohnt in 80331 München seit Jahren")).toEqual(["80331"]);
    expect(postcodes("Il habite à 75002 Paris depuis mai.")).toEqual(["75002"]);
    expect(postcodes("27 rue de la Paix, 75002 Paris")).toEqual(["75002"]);
    expect(postcodes("Via Roma 5, 00184 Roma")).toEqual(["00184"]);
    expect(postcodes("Calle Mayor 10, 28013 Madrid")).toEqual(["28013"]);
    expect(postcodes("Bahnhofstrasse 1, 8001 Zürich")).toEqual(["8001"]);
    expect(postcodes("PLZ 10115")).toEqual(["10115"]);
  });

  it("does not hide years, quantities or units", () => {
    for (const text of [
      "In 2024 we sold 12000 Euro worth.",
      "2000 GB of logs and 1500 AD.",
      "Die Klinik behandelte 2023 rund 25000 Patienten.",
      "Das Projekt hat, 25000 Studierende und 300 Lehrende.",
      "Il compte 1500 employés en France.",
      "The warehouse holds 50000 units across 20 aisles.",
      "In 1998 Microsoft shipped Windows 98.",
      "Port 8080 and 2048 MB.",
    ]) {
      expect(postcodes(text), text).toEqual([]);
    }
  });
});
