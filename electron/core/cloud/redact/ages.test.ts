import { describe, expect, it } from "vitest";
import { resolveOverlaps, type RedactionType } from "./detection.js";
import { detectPatterns } from "./patterns.js";

const found = (text: string): Array<[RedactionType, string]> =>
  resolveOverlaps(text, detectPatterns(text)).map((d) => [d.type, text.slice(d.start, d.end)]);
const ages = (text: string): string[] => found(text).filter(([t]) => t === "AGE").map(([, v]) => v);

describe("ages in five more languages", () => {
  it("where the sentence says it is an age", () => {
    const cases: Array<[string, string]> = [
      ["Patientin Ingrid Maier, 78 Jahre, Heimbewohnerin", "78"],
      ["eine 78-jährige Patientin", "78"],
      ["im Alter von 64 verstorben", "64"],
      ["M. Jean Moreau, 81 ans, hospitalisé", "81"],
      ["une patiente âgée de 81 ans", "81"],
      ["mevrouw Ria Bakker, 84 jaar, opgenomen", "84"],
      ["een 84-jarige vrouw", "84"],
      ["la signora Giulia Bianchi, 41 anni, ricoverata", "41"],
      ["don Manuel Fernández, 79 años, ingresado", "79"],
      ["Edad: 79, sexo masculino", "79"],
      ["Schüler Noah Schuster, 14, wohnhaft in Kassel", "14"],
    ];
    for (const [text, value] of cases) expect(ages(text), text).toEqual([value]);
    const bare = resolveOverlaps("Noah Schuster, 14, wohnhaft", detectPatterns("Noah Schuster, 14, wohnhaft"));
    expect(bare.map((d) => d.confidence)).toEqual([0.7]);
  });

  it("not durations, periods or citations", () => {
    for (const text of [
      "Die Firma besteht seit 30 Jahren.",
      "Wir haben 30 Jahre Erfahrung.",
      "Il y a 10 ans, la loi a changé.",
      "Le contrat dure 10 ans et se renouvelle.",
      "Dit gebeurde 10 jaar geleden.",
      "Da 5 anni lavoriamo in Lombardia.",
      "Hace 10 años que abrimos la clínica.",
      "See Smith, 2019, p. 12 and Jones, 12.",
      "Im Jahr 2020, 15 Kliniken nahmen teil.",
    ]) {
      expect(ages(text), text).toEqual([]);
    }
  });
});
