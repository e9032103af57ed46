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

/**
 * More fresh prose, each sentence hidden in part before these rules (checked against the code before them):
 * accords and treaties named after places, eponyms before a term noun two words on or behind a sign, a manoeuvre or
 * a doctrine, public bodies named over several words, headings in capitals or Title Case, labels of notes, agenda
 * items, indices, a word after an article, medical endings and request openers outside English.
 */
const MORE_PROSE = [
  "Under Basel III's leverage ratio, how are off-balance-sheet exposures counted?",
  "What do the Geneva Conventions say about the treatment of medical staff?",
  "Explain the Gordon growth model for a bank with stable dividends.",
  "What does the Altman Z-score measure, and what cut-offs are used?",
  "Welche Rolle spielt die Zinsschranke bei Holdinggesellschaften?",
  "Erläutere das Abstraktionsprinzip an einem Beispiel aus dem Mietrecht.",
  "Was regelt das Wiener Übereinkommen über konsularische Beziehungen?",
  "Protokoll bitte kürzen:\nTOP 1 Begrüßung\nTOP 2 Jahresabschluss\nTOP 3 Verschiedenes",
  "Vergleiche den MSCI World mit dem FTSE All-World für einen Sparplan.",
  "Décrivez le signe de Lasègue et la manœuvre de Valsalva.",
  "Que prévoit la loi Informatique et Libertés pour les fichiers clients ?",
  "Vertaal deze alinea naar het Engels en houd de toon formeel.",
  "Wat veranderde het Verdrag van Maastricht aan de Europese Centrale Bank?",
  "Leg het Baris/Riezenkamp-arrest uit voor een tweedejaars student.",
  "Welke stappen zet je voor inschrijving bij de Kamer van Koophandel?",
  "Wat is het verschil tussen Hyper-V en VirtualBox voor een testomgeving?",
  "Riassumi la dottrina Francovich in tre frasi.",
  "Come si invia una fattura elettronica tramite il Sistema di Interscambio?",
  "Semplifica questo avviso per i dipendenti.",
  "Resume el Convenio de La Haya sobre la apostilla.",
  "Adjunto encontrará el resumen; revise las cifras antes del Jueves Santo.",
  "Haz más claro este aviso: Las Solicitudes De Reembolso Deben Enviarse Antes Del Viernes.",
  "REGLAMENTO DE USO DE LOS VEHÍCULOS DE EMPRESA: resume los puntos clave.",
  "Explica la sentencia Van Gend en Loos en un párrafo.",
  "Bitte nur als Stichpunkte ausgeben:\n- Dienstreiseantrag\n- Arbeitsunfähigkeitsbescheinigung\n- Gleitzeitkonto",
  "Wat regelt het Burgerlijk Wetboek over erfpacht?",
  "Welke rol speelt het Stabiliteits- en Groeipact bij de begroting?",
  "Expliquez le principe de substitution de Liskov en deux phrases.",
  "What is a Lisfranc injury and how is it missed on plain films?",
  "Explain Occam's razor and Hanlon's razor in two sentences each.",
  "What is a Merkle tree and why do blockchains use it?",
  "What are Kegel exercises and who should do them?",
  "Spiega il rasoio di Occam e l'effetto Dunning-Kruger in due frasi.",
  "¿Cómo funciona el intercambio de claves Diffie-Hellman?",
  "Quelle est la différence entre le SMIC et le salaire médian en France ?",
  "Welke vaccinaties raadt de Gezondheidsraad aan voor zestigplussers?",
  "Kannst du mir die Tabelle kürzen und die Liste alphabetisch sortieren?",
];

describe("more PII-free prose keeps its words: accords, doctrines, headings, labels, Title Case", () => {
  const redactor = createRedactor();
  for (const text of MORE_PROSE) {
    it(`hides nothing in: ${text.slice(0, 50).replace(/\n/g, " ")}…`, () => {
      expect(redactor.redact(text, emptyPlaceholderMap()).text).toBe(text);
    });
  }
});

describe("names that look like the prose above are still hidden", () => {
  const redactor = createRedactor();
  const hidden = (text: string): string => redactor.redact(text, emptyPlaceholderMap()).text;
  it("a speaker's name before a colon in a transcript", () => {
    expect(hidden('Vsevolod: "Who are you?"\nHeather: "I am her daughter."')).not.toContain("Vsevolod");
  });
  it("a name before a verb in -s, a hospital after an article, a name after a title or before a weekday", () => {
    expect(hidden("As regular commenter Stephan Fenstermacher points out, most are horrible.")).not.toContain("Fenstermacher");
    expect(hidden("Opgenomen in het Diakonessenhuis met een heupfractuur.")).not.toContain("Diakonessenhuis");
    expect(hidden("Chiama il signor Franco Serra lunedì per la firma.")).not.toContain("Serra");
    expect(hidden("Anna Schmidt kommt am Montag, bitte Termin bestätigen.")).not.toContain("Schmidt");
  });
  it("a patient's own injury, and a surname that is also an eponym", () => {
    expect(hidden("Patel's injury was reviewed in clinic.")).not.toContain("Patel");
    expect(hidden("Bel Cornelis Dijkstra terug over de huurachterstand.")).not.toContain("Dijkstra");
  });
  it("an address whose line is mostly capitalised, and towns on lines of their own", () => {
    const text = "Caitlin Lennox lives at 846 31 Rue Al Imam Al Bakri, Cite Merzgui";
    expect(hidden(text)).not.toContain("Bakri");
    expect(hidden(text)).not.toContain("Merzgui");
    const card = "Billing address: Sophie Lang\n    3482 Via Franscini 71 Suite 838\n   Tujetsch\n    nan\n    7188";
    expect(hidden(card)).not.toContain("Tujetsch");
  });
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
