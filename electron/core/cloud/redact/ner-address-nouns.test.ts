import { describe, expect, it } from "vitest";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

const hidden = (text: string): string[] => createRedactor().redact(text, emptyPlaceholderMap()).redactions.map((r) => r.original);

// Written for this test, not taken from the evaluation set.
describe("runs of German nouns are not addresses; continents are not places of anyone", () => {
  it("keeps German noun runs the tagger took for an address", () => {
    for (const text of [
      "Fasse die Leitlinie zusammen: NYHA-Klassen, Ejektionsfraktion, Diuretika und wann ein Kardiologe hinzugezogen wird.",
      "Ab Januar gilt die neue Reisekostenrichtlinie, Anträge gehen über das Intranet an die Personalabteilung.",
      "Erläutere die Drittwirkung der Grundrechte anhand des Lüth-Urteils in zwei Absätzen.",
    ]) {
      expect(hidden(text), text).toEqual([]);
    }
  });

  it("a word and a year name an event, not a street and its number", () => {
    expect(hidden("Erläutere die Mietrechtsreform 2001 und ihre Folgen für Staffelmieten.")).toEqual([]);
  });

  it("a continent is no one's whereabouts", () => {
    expect(hidden("Explain why central banks in Europe raised rates later than in America.")).toEqual([]);
  });

  it("still hides a person or a town the tagger marked as part of an address", () => {
    expect(hidden("Frau Olena Kovalenko, zugezogen aus Charkiw, jetzt Friedrichstr. 120, 10117 Berlin.")).toEqual(
      expect.arrayContaining(["Charkiw"]),
    );
    const text = "Im Portal sehe ich Anmeldungen auf das Konto von Uwe Krämer (Pat.-Nr. 0087-1145-22).";
    expect(createRedactor().redact(text, emptyPlaceholderMap()).text).not.toContain("Uwe Krämer");
  });
});
