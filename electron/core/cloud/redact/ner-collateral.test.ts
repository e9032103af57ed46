import { describe, expect, it } from "vitest";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";
import { detectEntities } from "./ner.js";

/**
 * PII-free prose written for this test (not taken from the evaluation set), in the six languages: requests that open
 * with a verb, landmark cases cited as law, codes of law and public bodies, German inflected and compound nouns,
 * holidays, drugs and eponyms. None of it names a private person, so nothing may be hidden and Auto must not ask.
 */
const PROSE = [
  // English
  "Summarise what Donoghue v Stevenson [1932] AC 562 established about the duty of care, for a first-year seminar.",
  "Why is Carlill v Carbolic Smoke Ball Co still cited as the leading case on unilateral offers?",
  "Explain the difference between atorvastatin and rosuvastatin for a patient leaflet.",
  // German
  "Formuliere eine freundliche Absage für eine Bewerbung, ohne Gründe zu nennen.",
  "Schreibe eine kurze Erklärung, welche Rolle die Schufa bei der Kreditvergabe spielt.",
  "Erkläre mit einfachen Beispielen, wie ein Binärbaum und ein Suchbaum sich unterscheiden.",
  "Welche Ausnahmen gibt es vom Kündigungsschutz, und wann braucht es die Zustimmung vom Betriebsrat?",
  // French
  "Rédige un courriel rappelant que la mairie sera fermée le jour de la Toussaint.",
  "Explique l'arrêt Nicolo de 1989 et son importance pour la primauté des traités.",
  "Résume les obligations de l'employeur prévues par le Code du travail en matière de congés.",
  // Dutch
  "Vergelijk de opzegtermijnen voor huurders en verhuurders in eenvoudige woorden.",
  "Beschrijf wanneer de Autoriteit Consument en Markt een boete kan opleggen.",
  "Vat de regels samen voor vakantiegeld en schrijf erbij dat het kantoor op Koningsdag dicht is.",
  // Italian
  "Proponi tre titoli per un articolo sul Codice della strada e le nuove sanzioni.",
  "Spiega cosa ha stabilito la Corte di cassazione sul danno da perdita di chance.",
  "Scrivi un avviso: gli uffici resteranno chiusi il giorno di Pasqua e a Ferragosto.",
  // Spanish
  "Redacta un resumen del Estatuto de los Trabajadores sobre las vacaciones anuales.",
  "Compara la Ley de Enjuiciamiento Civil con el procedimiento anterior en tres puntos.",
  "Explica qué estableció la sentencia Van Gend en Loos sobre el efecto directo del Derecho comunitario.",
];

describe("PII-free prose in six languages keeps its words", () => {
  const redactor = createRedactor();
  for (const text of PROSE) {
    it(`hides nothing in: ${text.slice(0, 50)}…`, () => {
      const result = redactor.redact(text, emptyPlaceholderMap());
      expect(result.text).toBe(text);
      expect(result.doubts).toEqual([]);
    });
  }
});

const found = (text: string, type: string): string[] =>
  detectEntities(text).filter((d) => d.type === type).map((d) => text.slice(d.start, d.end));

describe("organisations named by their kind or their partners, towns with particles", () => {
  it("finds firms with '&' and institutions after their kind", () => {
    expect(found("Please send the draft to Fairlie & Quarrington by Friday.", "ORG")).toContain("Fairlie & Quarrington");
    expect(found("Die Akte liegt bei der Kanzlei Hohenstein, bitte nachfragen.", "ORG")).toContain("Kanzlei Hohenstein");
    expect(found("Il paziente è seguito all'Ospedale San Girolamo da due anni.", "ORG")).toContain("Ospedale San Girolamo");
    expect(found("De huurder woont in een woning van Stichting Woonkracht Meerland.", "ORG")).toContain("Stichting Woonkracht Meerland");
    expect(found("Überweisung an das Kantonsspital Aarau, Abteilung Innere Medizin.", "ORG")).toContain("Kantonsspital Aarau");
  });
  it("does not make a noun after an institution's kind into a name", () => {
    expect(found("In der Klinik Patienten zu betreuen ist anstrengend.", "ORG").join(" ")).not.toContain("Patienten");
  });
  it("keeps a town's particles after a postcode", () => {
    const text = "Neue Anschrift: Gartenweg 4, 79098 Freiburg im Breisgau.";
    const hidden = createRedactor().redact(text, emptyPlaceholderMap()).text;
    expect(hidden).not.toContain("Breisgau");
    expect(found("Envoyer à 24200 Sarlat-la-Canéda avant lundi.", "LOCATION")).toContain("Sarlat-la-Canéda");
  });
  it("still hides the parties of a client's own case", () => {
    const text = "Our client in Whitcombe v. Harrowgate Ltd established the timeline; the hearing is next week.";
    const hidden = createRedactor().redact(text, emptyPlaceholderMap()).text;
    expect(hidden).not.toContain("Whitcombe");
  });
  it("still finds a name opening a sentence when a given name is known", () => {
    expect(found("Maria Lindqvist rief an und bat um Rückruf.", "PERSON").join(" ")).toContain("Lindqvist");
  });
});
