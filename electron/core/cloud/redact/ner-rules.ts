import type { Detection, RedactionType } from "./detection.js";
import { wordClasses } from "./lexicon.js";
import { inPublicCase, publicCaseRanges } from "./public-cases.js";
import { foreignRank, isEverydayWord, isGermanNounForm, isKnownName, isKnownPlace } from "./word-lists.js";

/**
 * Entity cues that need no training, in English, German, French, Dutch, Italian and Spanish: titles and
 * honorifics before a name, "my name is", sign-offs, house numbers before a street type, units, and company
 * suffixes. Their labels are what the cue says, so they overrule the tagger's ("Acme Corp" is an ORG).
 */

// One to three capitalised words; a dot only after an initial ("Faina D. Yefremova"), never the sentence's own.
// Lower-case particles may come before or between them ("Mme de Villepin", "dhr. van der Berg").
const PARTICLE = "(?:van|von|de|der|den|du|des|di|da|del|della|dos|le|la|ten|ter|zu|y)";
const CAPITALISED_WORD = "\\p{Lu}(?:\\.|[\\p{L}\\p{M}'’-]+)";
const CAPITALISED_WORDS = `((?:${PARTICLE}[ \\t]+){0,2}${CAPITALISED_WORD}(?:[ \\t]+(?:${PARTICLE}[ \\t]+){0,2}${CAPITALISED_WORD}){0,2})`;

const TITLES = [
  // English
  "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Lady", "Lord", "Rev", "Hon", "Judge", "Justice",
  // German
  "Herr", "Herrn", "Frau", "Hr", "Fr", "Fräulein",
  // French
  "Mme", "Mmes", "Mlle", "M\\.", "MM", "Maître", "Docteur", "Pr",
  // Dutch
  "dhr", "Dhr", "mevr", "Mevr", "mw", "Mw", "heer", "Heer", "mevrouw", "Mevrouw", "mr", "Drs", "drs", "ir", "Ir",
  // Italian
  "Sig", "Sig\\.ra", "Sig\\.na", "Sigg", "Signor", "Signora", "Dott", "Dott\\.ssa", "Dottor", "Dottoressa", "Avv", "Ing", "Prof\\.ssa",
  // Spanish
  "Sr", "Sra", "Srta", "Sres", "Don", "Doña", "Dña", "Dª", "D\\.", "Dra", "Lic", "Lcdo", "Lcda",
];
const TITLE_WORDS = new Set(TITLES.map((t) => t.replace(/\\/g, "").replace(/\.$/, "").toLowerCase()));

/** "Frau", "Mme", "Dña", "dhr": a title, never part of the name itself. */
export function isTitle(word: string): boolean {
  return TITLE_WORDS.has(word.replace(/\.$/, "").toLowerCase());
}

const HONORIFIC = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${TITLES.join("|")})(?:(?<=\\.)|\\.?)[ \\t]+${CAPITALISED_WORDS}`,
  "gu",
);

const STREET =
  /\b\d{1,5}[A-Za-z]?,?[ \t]+(?:\p{Lu}[\p{L}\p{M}'’-]*[ \t]+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|Way|Close|Crescent|Highway|Hwy|Parkway|Pkwy|Alley|Row|Gardens|Walk|Lodge)\b\.?/gu;
const UNIT = /\b(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|Box|PO Box|P\.O\. Box)\.?[ \t]*#?[ \t]*\d+[A-Za-z]?\b/giu;

const COMPANY_SUFFIXES = [
  "Inc", "Ltd", "Limited", "LLC", "LLP", "PLC", "plc", "Corp", "Corporation", "Company", "Co", "Group", "Holdings",
  "Partners", "Associates", "Bank", "University", "Hospital", "Clinic",
  "GmbH", "gGmbH", "mbH", "AG", "KG", "OHG", "UG", "e\\.V\\.", "GbR", "PartG", "Rechtsanwälte", "Klinik", "Kanzlei",
  "SARL", "SAS", "SASU", "EURL", "SPRL", "SA", "S\\.A\\.", "SNC", "SCI",
  "B\\.V\\.", "BV", "N\\.V\\.", "NV", "V\\.O\\.F\\.", "VOF",
  "S\\.p\\.A\\.", "SpA", "S\\.r\\.l\\.", "Srl", "S\\.n\\.c\\.", "S\\.a\\.s\\.",
  "S\\.L\\.", "SL", "S\\.L\\.U\\.", "S\\.A\\.U\\.", "S\\.Coop\\.",
];
const COMPANY = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:\\p{Lu}[\\p{L}\\p{M}&'’-]*,?[ \\t]+(?:(?:and|&|of|und|et|en|e|y|du|de|des|di|del|der|van)[ \\t]+)?){1,4}` +
    `(?:${COMPANY_SUFFIXES.join("|")})(?:(?<=\\.)|(?![\\p{L}\\p{N}]))`,
  "gu",
);

/** "my name is ...", "maiden name: ...", sign-offs: what follows is a name even when it is also a word ("Key", "White"). */
const NAMED = new RegExp(
  `(?:\\b(?:(?:first|last|middle|maiden|full|given|family|sur)? ?name(?: is|:| was)|named|called|signed)|` +
    `(?:mein Name ist|ich heiße|ich heisse|je m'appelle|je m’appelle|mi chiamo|me llamo|mi nombre es|mijn naam is|ik heet)|` +
    `\\b(?:regards|sincerely|cordialement|Grüßen|Grüße|groet|groeten|saluti|saludos|atentamente),)[ \\t]*\\n?[ \\t]*${CAPITALISED_WORDS}`,
  "gu",
);
/** Form lines: "Address: 688 rue du centre 320" - the rest of the line, whatever its case. */
const ADDRESS_LINE =
  /\b(?:address|addr|home address|street address|mailing address|billing address|Adresse|Anschrift|adres|indirizzo|dirección|domicilio)[ \t]*:[ \t]*([^\n]{3,100})/giu;

/** Case names: "Hargreaves v. Castellan", "Smith vs Jones", "Müller gegen Schmidt", "Dupont c. Martin". */
const CASE_PARTIES = new RegExp(
  `${CAPITALISED_WORDS}[ \\t]+(?:v\\.|vs\\.?|v|gegen|c\\.|contre|tegen|contro|contra)[ \\t]+${CAPITALISED_WORDS}`,
  "gu",
);

/** An institution named by its kind first: "Kanzlei Weber", "Studio Legale Bianchi", "Hotel Seeblick", "Stichting De Linde". */
const ORG_HEADS = [
  "Kanzlei", "Anwaltskanzlei", "Notariat", "Praxis", "Gemeinschaftspraxis", "Arztpraxis", "Zahnarztpraxis", "Klinik", "Klinikum",
  "Krankenhaus", "Spital", "Kantonsspital", "Universitätsspital", "Universitätsklinikum", "Stadtwerke", "Sparkasse",
  "Kreissparkasse", "Stadtsparkasse", "Volksbank", "Raiffeisenbank", "Apotheke", "Seniorenstift", "Pflegeheim", "Hotel",
  "Cabinet", "Clinique", "Hôpital", "Pharmacie", "Caisse", "Étude", "Studio Legale", "Studio", "Ospedale", "Policlinico",
  "Farmacia", "Banca", "Banco", "Bufete", "Despacho", "Notaría", "Hospital", "Clínica", "Advocatenkantoor", "Advocaten",
  "Notariskantoor", "Notaris", "Ziekenhuis", "Apotheek", "Zorgcentrum", "Stichting", "Gemeente", "Huisartsenpraktijk",
];
const ORG_LINK = "(?:(?:de|du|des|d'|di|del|della|dei|van|der|den|het|am|an|im|la|le|les|el|los|St\\.|San|Santa|Sankt|und|&|y|e|et|en)[ \\t]+)";
const ORG_NAME = `(?:\\p{Lu}[\\p{L}\\p{M}'’-]+|\\p{Lu}{2,})`;
const ORG_BY_HEAD = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${ORG_HEADS.join("|")}|\\p{Lu}\\p{Ll}+(?:spital|klinik|klinikum|krankenhaus|sparkasse|ziekenhuis))` +
    `[ \\t]+${ORG_LINK}{0,2}${ORG_NAME}(?:[ \\t]+${ORG_LINK}{0,2}${ORG_NAME}){0,2}`,
  "gu",
);
/** Firms named after partners: "Penrose & Vane", "Elms & Daughters Funeral Directors", "Brandauer & Pfeil". */
const AMPERSAND_FIRM = new RegExp(
  `(?<![\\p{L}\\p{N}])\\p{Lu}[\\p{L}\\p{M}'’-]+[ \\t]+&[ \\t]+\\p{Lu}[\\p{L}\\p{M}'’-]+(?:[ \\t]+\\p{Lu}[\\p{L}\\p{M}'’-]+){0,3}`,
  "gu",
);
/** A town after a postcode with a particle or hyphens in its name: "60311 Frankfurt am Main", "24200 Sarlat-la-Canéda". */
const TOWN_AFTER_POSTCODE = new RegExp(
  `(?<=(?<![\\p{L}\\p{N}])\\d{4,5}[ \\t]+)(?:\\p{Lu}[\\p{L}\\p{M}']*(?:-\\p{L}[\\p{L}\\p{M}']*)+|` +
    `\\p{Lu}[\\p{L}\\p{M}']+[ \\t]+(?:am|an der|im|ob der|bei|sur|sous|lès|en|aan den|aan de|upon|on)[ \\t]+\\p{Lu}[\\p{L}\\p{M}']+)`,
  "gu",
);

/** How often each cue is right, roughly: a title is almost always followed by a name, a suffix by a company. */
const RULES: Array<{ re: RegExp; type: RedactionType; group?: number; confidence: number }> = [
  { re: HONORIFIC, type: "PERSON", group: 1, confidence: 0.95 },
  { re: NAMED, type: "PERSON", group: 1, confidence: 0.9 },
  { re: ADDRESS_LINE, type: "ADDRESS", group: 1, confidence: 0.85 },
  { re: STREET, type: "ADDRESS", confidence: 0.9 },
  { re: UNIT, type: "ADDRESS", confidence: 0.85 },
  { re: COMPANY, type: "ORG", confidence: 0.9 },
  { re: ORG_BY_HEAD, type: "ORG", confidence: 0.8 },
  { re: AMPERSAND_FIRM, type: "ORG", confidence: 0.75 },
  { re: TOWN_AFTER_POSTCODE, type: "LOCATION", confidence: 0.85 },
];

/** A trailing full stop belongs to an abbreviation or initial ("St.", "Corp.", "D."), not to a name or street. */
const KEEPS_DOT = /(?:^|[\s.])(?:\p{Lu}|St|Rd|Ave|Dr|Ct|Pl|Sq|Blvd|Ln|Hwy|Pkwy|Co|Inc|Ltd|Corp|Jr|Sr|Bros|\p{L}+\.\p{L}+)\.$/u;

function hasProperWord(value: string, skipHead: boolean): boolean {
  const words = value.split(/[ \t]+/).slice(skipHead ? 1 : 0).filter((w) => /^\p{Lu}/u.test(w));
  // "Elms & Daughters Funeral Directors": a partner firm with a trade after it is a firm whatever its words.
  if (!skipHead && words.length >= 4) return true;
  // German Wikipedia lists towns as words ("Zürich"), so only everyday and inflected nouns count against a name.
  return words.some((w) => isKnownName(w) || isKnownPlace(w) || /^\p{Lu}{2,}$/u.test(w) || (!isEverydayWord(w) && !(isGermanNounForm(w, true) && foreignRank(w) !== undefined)));
}

export function ruleDetections(text: string): Detection[] {
  const out: Detection[] = [];
  const companies: Detection[] = [];
  const parties: Detection[] = [];
  const publicCases = publicCaseRanges(text);
  for (const m of text.matchAll(CASE_PARTIES)) {
    // "Marbury v. Madison established ...": a landmark case cited as law names no client.
    if (inPublicCase(publicCases, m.index, m.index + m[0].length)) continue;
    const left = m[1] ?? "";
    const right = m[2] ?? "";
    // "In Hargreaves v. Castellan": the words before the first party's name are the sentence's.
    const leftWords = left.split(/[ \t]+/);
    while (leftWords.length > 1 && isEverydayWord(leftWords[0] ?? "")) leftWords.shift();
    const party = leftWords.join(" ");
    const leftStart = m.index + left.length - party.length;
    const rightStart = m.index + m[0].length - right.length;
    parties.push({ type: "PERSON", start: leftStart, end: leftStart + party.length, confidence: 0.8, source: "ner" });
    parties.push({ type: "PERSON", start: rightStart, end: rightStart + right.length, confidence: 0.8, source: "ner" });
  }
  for (const { re, type, group, confidence } of RULES) {
    for (const m of text.matchAll(re)) {
      let value = group === undefined ? m[0] : m[group];
      if (!value) continue;
      let start = m.index + m[0].indexOf(value);
      // "in der Klinik Patienten betreuen", "Hotel Rooms": the name after the kind must be a name, not a noun.
      if ((re === ORG_BY_HEAD || re === AMPERSAND_FIRM) && !hasProperWord(value, re === ORG_BY_HEAD)) continue;
      if (re === COMPANY) {
        // "Die Rechnung der Alpenland Bau GmbH": the sentence's words before the company's name are not part of it.
        const lead = /^(?:[\p{L}'’-]+,?[ \t]+)/u;
        for (let w = lead.exec(value); w && value.length > w[0].length; w = lead.exec(value)) {
          const word = w[0].replace(/[,\s]+$/u, "");
          const next = value.slice(w[0].length).split(/[ \t,]+/)[0] ?? "";
          // "Transports Vidal SARL" keeps its first word; "Die Rechnung der ..." and "The ..." lose theirs.
          const lead = /^\p{Ll}/u.test(word) || wordClasses(word).includes("FUNC") ||
            (isEverydayWord(word) && (isEverydayWord(next) || /^\p{Ll}/u.test(next)));
          if (!lead) break;
          start += w[0].length;
          value = value.slice(w[0].length);
        }
      }
      // A sentence's own full stop after a name is not part of it; an initial's or a suffix's is.
      let end = start + value.trimEnd().length;
      if (text[end - 1] === "." && !KEEPS_DOT.test(text.slice(start, end))) end--;
      const d: Detection = { type, start, end, confidence, source: "ner" };
      out.push(d);
      if (re === COMPANY) companies.push(d);
    }
  }
  // "Acme Corp v. Smith": the company suffix says ORG, so the case-name cue gives way there.
  return [...out, ...parties.filter((d) => !companies.some((c) => c.start < d.end && d.start < c.end))];
}
