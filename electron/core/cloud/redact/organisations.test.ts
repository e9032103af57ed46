import { describe, expect, it } from "vitest";
import { detectOrganisations } from "./organisations.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

/**
 * Messages written for this test (not taken from either evaluation set), in the six languages. `{...}` marks the
 * organisation: the redactor must hide the whole name (every letter of it) and nothing after it.
 */
const MARKED = [
  "Dominguez v. {Cascade Freight Inc.}, No. 2:25-cv-00388-TL: check the chronology.",
  "{Climate Corporation} is the brainchild of our three founders.",
  "Please draft a letter to {Harrowgate Plumbing Ltd} about the unfinished bathroom.",
  "The invoice from {Tarrant, Vosper and Lyle LLP} is overdue by 60 days.",
  "Transfer the file to {Kingsbridge Dental Practice} before Friday.",
  "She joined {Corvane Systems} in March and was let go in June.",
  "I work for {Chemical Abstracts Service}",
  "The {Clean Power Finance} office is at 17031 Rissik St.",
  "Dr Anand Krishnan at {Apollo Hospitals Chennai}: patient referred for a stress test.",
  "Rechnung der {Wiesental Dachdecker GmbH & Co. KG} prüfen.",
  "Mein Mandant arbeitet bei der {Rheintal Logistik AG} in Mannheim.",
  "Hospitalisé au {CHU de Vernon} depuis mardi.",
  "Mon client travaille chez {Groupe Lestrade} depuis dix ans.",
  "Mijn cliënt werkt bij {Zuidkust Transport} als chauffeur.",
  "De huurder heeft een geschil met {Woonstichting De Meerpaal}.",
  "Il contratto con lo {Studio legale Bassani} scade a giugno.",
  "La factura de {Joyería Sol y Luna} sigue pendiente.",
  "Draft a reply to {Hollins, Frame and Dacre} regarding the disputed fee note.",
  "Referral letter to {The Beeches Surgery} for a review.",
  "Reklamation bei {Möbelhaus Krüger} wegen der beschädigten Couch.",
  "Mme Petit réside à l'{EHPAD Les Glycines} depuis 2021.",
  "Transmets le dossier au {Cabinet médical du Parc}.",
  "Ricoverata presso la {Casa di cura Villa Fiorita}.",
];

function parse(marked: string): { text: string; value: string; start: number; end: number } {
  const start = marked.indexOf("{");
  const end = marked.indexOf("}") - 1;
  const text = marked.replace(/[{}]/g, "");
  return { text, value: text.slice(start, end), start, end };
}

describe("organisations", () => {
  it.each(MARKED)("hides the whole name and nothing after it: %s", (marked) => {
    const { text, value, start, end } = parse(marked);
    const result = createRedactor().redact(text, emptyPlaceholderMap());
    for (let i = start; i < end; i++) {
      if (!/[\p{L}\p{N}]/u.test(text[i] ?? "")) continue;
      expect(result.redactions.some((r) => r.start <= i && i < r.end), `"${text[i]}" at ${i} of ${value}`).toBe(true);
    }
    // An organisation's placeholder ends where the name ends: the words after it are the sentence's.
    const orgs = result.redactions.filter((r) => r.type === "ORG" && r.start < end && r.end > start);
    expect(orgs.length).toBeGreaterThan(0);
    for (const org of orgs) expect(org.end).toBeLessThanOrEqual(end);
  });

  it("finds legal forms of the six languages with the name before them", () => {
    const found = (text: string) => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
    expect(found("Klage gegen die Moosbach Immobilien GmbH wegen Nebenkosten.")).toContain("Moosbach Immobilien GmbH");
    expect(found("Le litige oppose M. Garnier à Transports Ribaud SAS.")).toContain("Transports Ribaud SAS");
    expect(found("Stuur een aanmaning naar Bouwbedrijf Van der Velde B.V. voor de factuur.")).toContain("Bouwbedrijf Van der Velde B.V.");
    expect(found("Scrivi una diffida alla Edilsud Costruzioni S.r.l. per i lavori.")).toContain("Edilsud Costruzioni S.r.l.");
    expect(found("Demanda contra Inversiones Marbella S.A. por incumplimiento.")).toContain("Inversiones Marbella S.A.");
    expect(found("Ezxbrl, Henderson, Hicks and Brown and Abt Associates")).toContain("Ezxbrl, Henderson, Hicks and Brown and Abt Associates");
    expect(found("Owens, Duran and Oneal  12521 Belgrád rkp. 18.")).toContain("Owens, Duran and Oneal");
  });

  it("finds lower-case legal forms in hurried messages, and not the words for them in a table", () => {
    const found = (text: string) => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
    expect(found("pls write to kestrel homes ltd about the invoice")).toEqual(["kestrel homes ltd"]);
    expect(found("cancel the contract with brenner gmbh asap")).toEqual(["brenner gmbh"]);
    expect(found("the inc. and ltd. columns of the table")).toEqual([]);
  });

  it("takes two surnames joined by a hyphen for a firm, not an eponym pair or a person's double surname", () => {
    const found = (text: string) => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
    expect(found("During 1971, Mayo-Walters invested heavily in new designs.")).toEqual(["Mayo-Walters"]);
    expect(found("Zargan from Garcia-Roberson is the keynote speaker.")).toEqual(["Garcia-Roberson"]);
    for (const term of [
      "The Lennard-Jones potential and the Bose-Einstein condensate.",
      "Run the Miller-Rabin test, then the Smith-Waterman algorithm.",
      "Kaplan-Meier and Black-Scholes are standard; so is Runge-Kutta.",
      "Mrs Anna Hamilton-Smith called about Baden-Württemberg.",
    ]) {
      expect(found(term), term).toEqual([]);
    }
  });

  it("hides a firm's own name word when it comes back alone, not a person who shares it", () => {
    const found = (text: string) => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
    expect(found("Kestrel Homes Ltd refused to pay. Kestrel says the roof was fine.")).toEqual(["Kestrel Homes Ltd", "Kestrel"]);
    expect(found("Harriet Llewellyn of Llewellyn Architects signed.")).toEqual(["Llewellyn Architects"]);
  });

  it("stops at the sentence's own words before the name", () => {
    const found = (text: string) => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
    expect(found("Die Rechnung der Alpenland Bau GmbH ist fällig.")).toEqual(["Alpenland Bau GmbH"]);
    expect(found("Firma Petrenko Handelsgesellschaft mbH, Industriestraße 22")).toEqual(["Petrenko Handelsgesellschaft mbH"]);
    expect(found("Contact Acme Ltd for details.")).toEqual(["Acme Ltd"]);
    expect(found("SCI Les Platanes. Mets en forme l'en-tête.")).toEqual(["SCI Les Platanes"]);
    // A person named before the firm is not part of it.
    expect(found("submitted by Harriet Llewellyn of Llewellyn Architects, is refused.")).toEqual(["Llewellyn Architects"]);
    expect(found("Rechtsanwältin Dr. Katrin Sommer, Kanzlei Sommer & Vogel Rechtsanwälte.")).toEqual(["Kanzlei Sommer & Vogel Rechtsanwälte"]);
  });

  it("keeps public institutions, generic nouns, eponyms and cited authors", () => {
    const redactor = createRedactor();
    const kept = [
      "The hospital discharged him after three days.",
      "The Bank of England raised the base rate again.",
      "The European Central Bank publishes its decisions on Thursday.",
      "El Banco de España supervisa a las entidades de crédito.",
      "La Banque de France publie les taux chaque mois.",
      "Der Bundesgerichtshof hat die Revision zurückgewiesen.",
      "La Cour de cassation a cassé l'arrêt.",
      "Prescriptions under the NHS and Medicare differ.",
      "Das AG München hat die Klage abgewiesen.",
      "The Kaplan-Meier estimator and the Black-Scholes model are standard tools.",
      "In der Praxis Patienten zu betreuen ist anstrengend.",
      "Work with Excel first, then move to Python.",
      "Why is Carlill v Carbolic Smoke Ball Co still cited as the leading case on unilateral offers?",
      "The main office is open on Saturdays.",
    ];
    for (const text of kept) {
      expect(detectOrganisations(text), text).toEqual([]);
      expect(redactor.redact(text, emptyPlaceholderMap()).redactions.filter((r) => r.type === "ORG"), text).toEqual([]);
    }
    // A cited work's authors, friends, departments and towns are not a partnership.
    expect(detectOrganisations("Smith, Jones and Taylor (2019) found a similar effect.")).toEqual([]);
    expect(detectOrganisations("Ask Anna, Maria and Sofia to join the meeting.")).toEqual([]);
    expect(detectOrganisations("Marketing, Sales and Finance report to the board.")).toEqual([]);
    expect(detectOrganisations("Paris, Lyon and Nice are the largest cities.")).toEqual([]);
    // After a shop's kind, a German noun is what was bought there; a key header is no care home ("RSA").
    expect(detectOrganisations("Ich habe in der Bäckerei Brötchen gekauft und im Möbelhaus Stühle angeschaut.")).toEqual([]);
    expect(detectOrganisations("-----BEGIN RSA PRIVATE KEY-----")).toEqual([]);
  });

  it("is unsure where only a phrase says it is an organisation, not where a legal form does", () => {
    const [byForm] = detectOrganisations("Please write to Harrowgate Plumbing Ltd today.");
    const [byCue] = detectOrganisations("I used to work for Transparagov as a dairy scientist.");
    expect(byForm?.confidence).toBeGreaterThan(byCue?.confidence ?? 1);
    expect(byCue?.confidence).toBeLessThan(0.9);
  });
});

describe("a firm's name alone on a line of an address block or a signature", () => {
  const orgs = (text: string): string[] => detectOrganisations(text).map((d) => text.slice(d.start, d.end));
  it("is an organisation even when its words are English words", () => {
    expect(orgs("Jana Hollis\nOverture Technologies\n12 Mill Road\nLeeds LS1 4AB")).toEqual(["Overture Technologies"]);
    expect(orgs("• Tomas Berg\n• Northern Star Movers\n• Suite 12")).toEqual(["Northern Star Movers"]);
  });

  it("not a heading of ordinary words in the middle of prose", () => {
    expect(orgs("Explain why information systems fail.\nWrite three paragraphs.")).toEqual([]);
    expect(orgs("Overture Technologies is a fictional name we use in training; explain trademark law.")).toEqual([]);
  });
});
