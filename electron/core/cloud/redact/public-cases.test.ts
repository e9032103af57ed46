import { describe, expect, it } from "vitest";
import { publicCaseRanges } from "./public-cases.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

const redact = (text: string): string => createRedactor().redact(text, emptyPlaceholderMap()).text;
// The cited ranges joined: a range may take the capitalised word before the parties, which is harmless.
const cited = (text: string): string => publicCaseRanges(text).map(([s, e]) => text.slice(s, e)).join(" | ");

// Written for this test, not taken from the evaluation set.
describe("a case one is asked to explain is cited as law", () => {
  it("in any of the six languages, with no client, file number or hearing in the message", () => {
    expect(cited("Explain Hadley v Baxendale and the two limbs of remoteness.")).toContain("Hadley v Baxendale");
    expect(redact("Explain Hadley v Baxendale and the two limbs of remoteness.")).toBe("Explain Hadley v Baxendale and the two limbs of remoteness.");
    expect(cited("Erkläre Müller gegen Schulze in zwei Sätzen.")).toContain("Müller gegen Schulze");
    expect(cited("Spiega Rossi contro Bianchi agli studenti.")).toContain("Rossi contro Bianchi");
  });

  it("but not when the message is about one's own matter", () => {
    expect(cited("Explain Hargreaves v. Castellan to our client before the hearing.")).toBe("");
    expect(redact("In Hargreaves v. Castellan, the court held that the clause was void.")).toContain("[PERSON_1]");
  });
});

describe("a reform or a law named after its minister is public", () => {
  it("in the six languages", () => {
    expect(redact("Spiega il Jobs Act e la riforma Fornero sui licenziamenti.")).toBe("Spiega il Jobs Act e la riforma Fornero sui licenziamenti.");
    expect(cited("Explique la loi Macron sur le travail du dimanche.")).toContain("loi Macron");
    expect(cited("Explica la reforma Wert y sus efectos en la escuela.")).toContain("reforma Wert");
    expect(cited("The Reform Club hosted the dinner for our client.")).toBe("");
  });
});
