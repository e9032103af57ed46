import {
  aadhaarValid,
  ahvValid,
  belgianNrnValid,
  bsnValid,
  codiceFiscaleValid,
  dniNieValid,
  medicareValid,
  nhsValid,
  niValid,
  nirValid,
  panValid,
  personnummerValid,
  sinValid,
  steuerIdValid,
  svNummerValid,
  tfnValid,
} from "./id-checksums.js";
import { before, ci, referenceRule, type Rule } from "./rule.js";

/**
 * National identifiers with check digits. A valid check digit alone still leaves a 1-in-10 chance for a random
 * number, so bare numbers also need the identifier's own layout or a context word; where only the layout speaks
 * for it, the detection carries a confidence below 1.
 */

const near = (re: RegExp, n = 60) => (m: RegExpExecArray, text: string): boolean => re.test(before(text, m.index, n));
const PHONE_WORDS = /\b(?:tel|phone|call|fax|mobile|cell|ruf|anruf|handy|téléphone|portable|telefoon|bel|telefono|cellulare|teléfono|móvil|llamar)\b/i;

// Generic phone, account and card patterns also see these numbers; a validated identifier corrects them.
const CORRECTS = ["PHONE", "ACCOUNT", "CARD", "DATE"] as const;

// Names of identity numbers in six languages (and a few neighbours): the value after them is an identifier.
const ID_WORDS = `${ci(
  "matricule|numéro national|n° national|numéro de registre national|registre national|rijksregisternummer|" +
    "V-nummer|vreemdelingennummer|AHV-Nr\\.|AHV-Nummer|AHV|AVS|numéro AVS|n° AVS|Sozialversicherungsnummer|Sozialversicherungs-Nr\\.?|SV-Nummer|SV-Nr\\.?|RV-Nummer|RV-Nr\\.?|Rentenversicherungsnummer|" +
    "Versichertennummer|Rentenversicherungsnummer|tessera sanitaria|numéro de sécurité sociale|n° de sécurité sociale|n° sécu|" +
    "numéro de sécu|codice fiscale|code fiscal|CURP|NIF|NSS|número de la seguridad social|número de afiliación|ID card|ID number|identity card|" +
    "Personalausweis|Personalausweisnummer|Ausweisnummer|carte d'identité|carte nationale d'identité|carta d'identità|" +
    "identiteitskaart|documentnummer|Dokumentennummer|numéro de document|numero documento|numero del documento|número de documento|número de soporte|documento de identidad|passport number|passport no\\.?|passport|Reisepass|Reisepassnummer|passeport|passaporto|pasaporte|paspoort|" +
    "permis de conduire|Führerschein|Führerscheinnummer|rijbewijs|patente|carnet de conducir|social security number|social security no\\.?|" +
    "Aufenthaltstitel|Aufenthaltserlaubnis|Niederlassungserlaubnis|residence permit|residence card|BRP|titre de séjour|carte de séjour|" +
    "verblijfsvergunning|verblijfsdocument|permesso di soggiorno|carta di soggiorno|tarjeta de residencia|driving licence|driver's license|" +
    "Ausweis|Passnummer|Reisepass-Nr\\.?|Ausweis-Nr\\.?|ID-Nummer|identiteitsnummer|ID-nummer|numéro d'identité|numero di identità|número de identificación|" +
    // Identifiers with a check digit are found by it (above); named, a mistyped one still counts.
    "NHS number|NHS no\\.?|NHS-Nummer|Steuer-ID|Steuer-Identifikationsnummer|Steueridentifikationsnummer|steuerliche Identifikationsnummer|IdNr\\.?|" +
    "BSN|BSN-nummer|burgerservicenummer|sofinummer|tax file number|Medicare number|Medicare card|Medicare no\\.?|Aadhaar|Aadhar|" +
    "personnummer|samordningsnummer|social insurance number|numéro d'assurance sociale|national insurance number|NI number|NINO|" +
    "numéro INSEE|carte vitale|PPS number|PPS no\\.?|PPSN|PESEL|CHI number|CHI no\\.?|identificatienummer|Krankenversichertennummer|documento nacional de identidad|número de identidad|tarjeta sanitaria",
  // Acronyms only in capitals: "sin" is Spanish for "without", "pan" is bread.
)}|NIR|DNI|D\\.N\\.I\\.|NIE|TIE|eAT|N\\.I\\.E\\.|SIN|TFN|C\\.F\\.|CF|KVNR|INSEE|ITIN`;
// Compounds of the names: "paspoortnummer", "Aufenthaltstitel-Nr.", "BSN-nummer".
const ID_NAMES = `(?:${ID_WORDS})(?:-?[Nn]ummer|-?[Nn]r\\.?)?`;
const NI_CONTEXT = /\b(?:NINO|NI(?: number| no\.?| nr\.?)?|national insurance)\b/i;
const NHS_CONTEXT = /\b(?:NHS|CHI|H&C|health (?:service|and care) (?:number|no))\b/i;
const STEUER_CONTEXT = /\b(?:steuer[- ]?id|steuer-?identifikationsnummer|identifikationsnummer|steuerliche[n]? id|IdNr|TIN|tax id)\b/i;
const BSN_CONTEXT = /\b(?:BSN|burgerservicenummer|sofinummer|sofi-nummer|citizen service number)\b/i;
const SIN_CONTEXT = /\b(?:SIN|NAS|social insurance|assurance sociale)\b/i;
const MEDICARE_CONTEXT = /\bmedicare\b/i;
const TFN_CONTEXT = /\b(?:TFN|tax file)\b/i;
const AADHAAR_CONTEXT = /\b(?:aadhaa?r|UIDAI|UID)\b|आधार/i;
const PNR_CONTEXT = /\b(?:personnummer|samordningsnummer|personal identity number|pnr)\b/i;

export const NATIONAL_ID_RULES: Rule[] = [
  // NHS number, 3-3-4: with its name it is certain; bare and spaced (not after "tel") it is probably one.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d+-])\d{3}([ -]?)\d{3}\1\d{4}(?![\d-])/g,
    accept: (m, text) => nhsValid(m[0]) && (NHS_CONTEXT.test(before(text, m.index, 60)) || (m[1] === " " && !PHONE_WORDS.test(before(text, m.index, 30)))),
    confidence: (m, text) => (NHS_CONTEXT.test(before(text, m.index, 60)) ? undefined : 0.6),
    overrides: CORRECTS,
  },
  // UK National Insurance number: the prefix letters follow rules, so the layout is enough.
  {
    type: "NATIONAL_ID",
    re: /\b[A-Z]{2}([ -]?)\d{2}\1\d{2}\1\d{2}\1[A-D]\b/g,
    accept: (m) => niValid(m[0]),
  },
  // Named as such, a National Insurance number counts in any case and with any prefix (QQ is the printed specimen).
  {
    type: "NATIONAL_ID",
    re: /\b[A-Za-z]{2}([ -]?)\d{2}\1\d{2}\1\d{2}\1[A-Da-d]\b/g,
    accept: (m, text) => NI_CONTEXT.test(before(text, m.index, 60)),
  },
  // German pension insurance number: area, birth date, initial, serial and a check digit.
  {
    type: "NATIONAL_ID",
    re: /(?<![\dA-Za-z])\d{2} ?\d{6} ?[A-Z] ?\d{3}(?![\dA-Za-z])/g,
    accept: (m) => svNummerValid(m[0]),
    overrides: CORRECTS,
  },
  // French NIR: sex, year, month, department (2A/2B in Corsica), commune, order, key 97 - n mod 97.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d\w])[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\d\w])/g,
    accept: (m) => nirValid(m[0]),
    overrides: CORRECTS,
  },
  // Italian codice fiscale: found by its own shape and check letter, whatever the words around it. The shape
  // is distinctive enough that a mistyped check letter still counts, but unsure.
  {
    type: "NATIONAL_ID",
    re: /\b(?=[A-Za-z]{6}[0-9LMNPQRSTUV])[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRSTabcdehlmprst][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z]\b/g,
    accept: (m) => /\d/.test(m[0]) && (m[0] === m[0].toUpperCase() || m[0] === m[0].toLowerCase()),
    confidence: (m) => (codiceFiscaleValid(m[0]) ? undefined : 0.6),
    overrides: ["MEDICAL_RECORD", "ACCOUNT", "CASE_NUMBER"],
  },
  // Written in groups: "RSS MRA 85T10 A562S" (surname, name, birth, place and check).
  {
    type: "NATIONAL_ID",
    re: /\b[A-Z]{3} [A-Z]{3} ?[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2} ?[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/g,
    accept: (m) => codiceFiscaleValid(m[0].replace(/ /g, "")),
    overrides: ["MEDICAL_RECORD", "ACCOUNT", "CASE_NUMBER"],
  },
  // Belgian national register number (YY.MM.DD-XXX.CC) and Swiss AHV/AVS number (756.XXXX.XXXX.XC).
  { type: "NATIONAL_ID", re: /(?<![\d.-])\d{2}\.?\d{2}\.?\d{2}[-. ]?\d{3}\.?\d{2}(?![\d.-])/g, accept: (m) => /[.-]/.test(m[0]) && belgianNrnValid(m[0]), overrides: CORRECTS },
  { type: "NATIONAL_ID", re: /(?<![\d.])756\.?\d{4}\.?\d{4}\.?\d{2}(?![\d.])/g, accept: (m) => ahvValid(m[0]), overrides: CORRECTS },
  // Any identifier after its name: "matricule 1985 0312 457 21", "Personalausweis L01X00T47", "V-nummer ...".
  {
    ...referenceRule("NATIONAL_ID", ID_NAMES, "", 4, [...CORRECTS, "MEDICAL_RECORD", "CASE_NUMBER"]),
    // A French "matricule" is a staff number (records.ts); Luxembourg's 13-digit one is the national ID.
    accept: (m, text) => {
      const base = referenceRule("NATIONAL_ID", ID_NAMES, "", 4).accept;
      if (base && !base(m, text)) return false;
      // "USt-IdNr." is a company's VAT number (ACCOUNT, national-ids-more.ts), not the personal "IdNr.".
      if (/^IdNr/i.test(m[0]) && /USt-?$/i.test(text.slice(Math.max(0, m.index - 4), m.index))) return false;
      return !/^matricule/i.test(m[0]) || (m[1] ?? "").replace(/\D/g, "").length === 13;
    },
    when: /PPS|PESEL|CHI|ITIN|SV-|RV-|NIR|SIN|TFN|CF|C\.F|INSEE|vitale|KVNR|identidad|sanitaria|document|dokument|soporte|NHS|steuer|IdNr|BSN|burger|sofi|tax file|medicare|aadha|insurance|NINO|NI number|matric|nummer|numéro|numero|número|national|regist|AHV|AVS|sécu|secu|sozial|versicher|tessera|fiscal|CURP|NIF|NIE|DNI|NSS|ID|ausweis|identit|passport|pass|passe|pasa|paspo|permis|führer|rijbewijs|patente|carnet|licen|social|aufenthalt|séjour|verblijf|soggiorno|residen|BRP|TIE|eAT/i,
  },
  // German Steuer-ID: named as such, or in its printed 2-3-3-3 grouping.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])[1-9]\d(?:( ?)\d{3}\1\d{3}\1\d{3})(?![\d-])/g,
    accept: (m, text) => steuerIdValid(m[0]) && (STEUER_CONTEXT.test(before(text, m.index, 60)) || m[1] === " "),
    confidence: (m, text) => (STEUER_CONTEXT.test(before(text, m.index, 60)) ? undefined : 0.6),
    overrides: CORRECTS,
  },
  // Spanish DNI (12345678Z) and NIE (X1234567L): the letter is a check character.
  {
    type: "NATIONAL_ID",
    re: /\b(?:[XYZ][- ]?\d{7}|\d{8}|\d{2}\.\d{3}\.\d{3})[- ]?[A-Z]\b/gi,
    accept: (m) => dniNieValid(m[0]),
    overrides: CORRECTS,
  },
  // Dutch BSN: nine digits pass the eleven-test by chance one time in eleven, so it needs its name.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])\d{4}\.?\d{2}\.?\d{3}(?![\d-])|(?<![\d-])\d{3} ?\d{3} ?\d{3}(?![\d-])/g,
    accept: (m, text) => bsnValid(m[0]) && BSN_CONTEXT.test(before(text, m.index, 60)),
    overrides: CORRECTS,
  },
  // Swedish personnummer: a date, a dash (a plus past 100 years), four digits with a Luhn check.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])(?:19|20)?\d{6}[-+]\d{4}(?![\d-])/g,
    accept: (m) => personnummerValid(m[0]),
    overrides: CORRECTS,
  },
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])(?:19|20)?\d{10}(?![\d-])/g,
    accept: (m, text) => personnummerValid(m[0]) && PNR_CONTEXT.test(before(text, m.index, 60)),
    overrides: CORRECTS,
  },
  // Canadian SIN, 3-3-3 with Luhn: certain after "SIN", plausible alone.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])\d{3}([ -]?)\d{3}\1\d{3}(?![\d-])/g,
    accept: (m, text) => sinValid(m[0]) && (SIN_CONTEXT.test(before(text, m.index, 60)) || (m[1] !== "" && !PHONE_WORDS.test(before(text, m.index, 30)))),
    confidence: (m, text) => (SIN_CONTEXT.test(before(text, m.index, 60)) ? undefined : 0.6),
    overrides: CORRECTS,
  },
  // Australian Medicare: 4-5-1 (and an issue digit) with a weighted check.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])[2-6]\d{3}( ?)\d{5}\1\d(?:[ /-]?\d)?(?![\d-])/g,
    accept: (m, text) => medicareValid(m[0]) && (MEDICARE_CONTEXT.test(before(text, m.index, 60)) || m[1] === " "),
    confidence: (m, text) => (MEDICARE_CONTEXT.test(before(text, m.index, 60)) ? undefined : 0.6),
    overrides: CORRECTS,
  },
  // Australian Tax File Number: eight or nine digits, needs its name.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])\d{3} ?\d{3} ?\d{2,3}(?![\d-])/g,
    accept: (m, text) => tfnValid(m[0]) && near(TFN_CONTEXT)(m, text),
    overrides: CORRECTS,
  },
  // Aadhaar, 4-4-4 with a Verhoeff check.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\d-])/g,
    accept: (m, text) => aadhaarValid(m[0]) && (AADHAAR_CONTEXT.test(before(text, m.index, 60)) || m[1] !== ""),
    confidence: (m, text) => (AADHAAR_CONTEXT.test(before(text, m.index, 60)) ? undefined : 0.6),
    overrides: CORRECTS,
  },
  // Indian PAN: a strict layout but no check character.
  {
    type: "NATIONAL_ID",
    re: /\b[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]\b/g,
    accept: (m) => panValid(m[0]),
    confidence: (m, text) => (/\b(?:PAN|permanent account)\b/i.test(before(text, m.index, 60)) ? undefined : 0.7),
  },
];

