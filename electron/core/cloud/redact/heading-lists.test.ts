import { describe, expect, it } from "vitest";
import { headingItemRanges } from "./heading-lists.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

const items = (text: string): string[] => headingItemRanges(text).map(([s, e]) => text.slice(s, e));
const hidden = (text: string): string[] => createRedactor().redact(text, emptyPlaceholderMap()).redactions.map((r) => r.original);

// Written for this test, not taken from the evaluation set.
describe("lists of capitalised headings", () => {
  it("finds the items of a topic list in any of the six languages", () => {
    const covered = (text: string, item: string): boolean => {
      const at = text.indexOf(item);
      return headingItemRanges(text).some(([s, e]) => s <= at && at + item.length <= e);
    };
    const lists: Array<[string, string[]]> = [
      ["Turn these into sentences: Remote Working, Canteen, Expenses, Flexible hours.", ["Remote Working", "Canteen", "Expenses", "Flexible hours"]],
      ["Agenda: Begrüßung, Haushalt, Personalentwicklung und Verschiedenes", ["Begrüßung", "Haushalt", "Personalentwicklung", "Verschiedenes"]],
      ["Ordre du jour : Accueil, Budget prévisionnel, Questions diverses", ["Accueil", "Budget prévisionnel", "Questions diverses"]],
    ];
    for (const [text, headings] of lists) for (const h of headings) expect(covered(text, h), `${h} in ${text}`).toBe(true);
    // Beside a known name, only the headings: "Anna" stays outside.
    expect(items("Topics: Welcome, Budget, Anna, Questions")).toEqual(["Welcome", "Budget", "Questions"]);
  });

  it("leaves address lines alone", () => {
    expect(items("of 3 Church Lane, Little Sodbury, Old Sodbury, BS37 6QA, seen today")).toEqual([]);
    expect(items("application for The Old Forge, Mill Lane, Chipping Norton OX7 5JL is refused")).toEqual([]);
  });

  it("leaves lists of firms alone: only a list announced as headings counts", () => {
    expect(items("Previous employers: Summit Bank, Evergreen Logistics, Harbor Freight, Blue Apron.")).toEqual([]);
    expect(items("The board includes representatives from Northwind Traders, Contoso, Fabrikam and Tailspin Toys.")).toEqual([]);
    expect(hidden("The board includes representatives from Northwind Traders, Contoso, Fabrikam and Tailspin Toys.")).not.toEqual([]);
  });

  it("leaves lists of names alone", () => {
    expect(items("Present: Anna Weber, Marco Rossi, Luis García and Claire Dubois.")).toEqual([]);
    expect(items("Invitati: Giulia, Marco e Francesca")).toEqual([]);
  });

  it("no heading of such a list is hidden as a name or an organisation", () => {
    for (const text of [
      "Convierte estos títulos en frases: Teletrabajo, Comedor, Formación continua, Prevención de riesgos laborales.",
      "Transforme ces titres en phrases : Télétravail, Restauration collective, Mutuelle, Formation continue.",
      "Trasforma questi titoli in frasi complete: Lavoro agile, Buoni pasto, Formazione obbligatoria, Sicurezza sul lavoro.",
      "Maak er zinnen van: Opening, Mededelingen, Jaarplan, Rondvraag, Sluiting.",
      "Ordine del giorno: Saluti, Comunicazioni del Presidente, Bilancio consuntivo, Nomine, Chiusura dei lavori.",
    ]) {
      expect(hidden(text), text).toEqual([]);
    }
  });

  it("names listed with their titles or beside headings are still hidden", () => {
    expect(hidden("Attendees: Dr. Miriam Rosenthal, Mr. Tobias Kellermann, Ms. Aoife Brennan")).toEqual(
      expect.arrayContaining(["Miriam Rosenthal", "Tobias Kellermann", "Aoife Brennan"]),
    );
  });
});
