import {
  amkaValid,
  atSvnrValid,
  cifValid,
  cnpValid,
  cprDateValid,
  esNssValid,
  fodselsnummerValid,
  hetuValid,
  peselValid,
  ptNifValid,
  rodneCisloValid,
  sirenSiretValid,
  vatValid,
} from "./id-checksums-more.js";
import { before, ci, type Rule } from "./rule.js";

/**
 * More national identifiers (Nordic, Central and Eastern European, Portuguese, Spanish social security) and the
 * business numbers that are ACCOUNT by the eval set's convention (EU VAT numbers, SIREN/SIRET). A checksum that
 * passes is not enough on its own where random numbers pass it often: then a word naming an identifier must stand
 * within the sentence before, in any of the six languages. Layouts distinctive enough (a Finnish century sign and
 * check character, a Czech birth number's slash) need no word.
 */

// Generic and scheme names of personal identifiers: "Personnummer", "HETU", "CPR-nr.", "numéro d'identification".
const ID_CONTEXT = new RegExp(
  `(?<![\\p{L}])(?:${ci(
    "CPR|CPR-nummer|CPR-nr|personnummer|fødselsnummer|fodselsnummer|D-nummer|henkilötunnus|HETU|sotu|PESEL|CNP|" +
      "cod numeric personal|rodné číslo|rodne cislo|rodného čísla|RČ|AMKA|ΑΜΚΑ|ΑΦΜ|SVNR|VSNR|VSNR\\.|SV-Nummer|SV-Nr|" +
      "Sozialversicherungsnummer|Versicherungsnummer|e-card|social security|sécurité sociale|seguridad social|sicurezza sociale|sociale verzekering|" +
      "Sozialversicherung|afiliación|afiliado|NSS|NIF|contribuinte|número de contribuinte|identification number|identity number|national ID|" +
      "personal number|Identifikationsnummer|Personenkennzahl|numéro d'identification|numéro d'identité|identificatienummer|" +
      "numero di identificazione|número de identificación|número de identidad|ID|identity|identité|identità|identidad|identiteit",
  )})(?![\\p{L}])`,
  "u",
);
const idNear = (m: RegExpExecArray, text: string, n = 80): boolean => ID_CONTEXT.test(sentenceBefore(text, m.index, n));
/** The words before `index` in the same sentence (a full stop and a space end one). */
function sentenceBefore(text: string, index: number, n: number): string {
  const window = before(text, index, n);
  const stop = Math.max(window.lastIndexOf(". "), window.lastIndexOf("\n"));
  return stop >= 0 ? window.slice(stop + 1) : window;
}

const CORRECTS = ["PHONE", "ACCOUNT", "CARD", "DATE", "CASE_NUMBER", "MEDICAL_RECORD"] as const;

const VAT_CONTEXT = new RegExp(
  `(?<![\\p{L}])(?:${ci(
    "VAT|VAT number|VAT no|VAT reg|USt-IdNr|USt-ID|UStIdNr|Umsatzsteuer-Identifikationsnummer|Umsatzsteuer-ID|MwSt|TVA|numéro de TVA|" +
      "TVA intracommunautaire|btw|btw-nummer|btw-id|BTW-nr|P\\. ?IVA|partita IVA|IVA|NIF-IVA|CIF|NIF|tax number|Steuernummer",
  )})(?![\\p{L}])`,
  "u",
);

export const MORE_ID_RULES: Rule[] = [
  // Finnish henkilötunnus: a birth date, the century sign and a check character. Distinctive on its own.
  { type: "NATIONAL_ID", re: /(?<![\dA-Za-z-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\dA-Za-z])/g, accept: (m) => hetuValid(m[0]), overrides: CORRECTS },
  // Czech and Slovak birth numbers with their slash; without it they need a word.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d/])\d{6}(\/?)\d{4}(?![\d/])/g,
    accept: (m, text) => rodneCisloValid(m[0]) && (m[1] === "/" || idNear(m, text)),
    overrides: CORRECTS,
  },
  // Romanian CNP: the date, a county code and a check digit together make a chance match rare.
  { type: "NATIONAL_ID", re: /(?<!\d)[1-8]\d{12}(?!\d)/g, accept: (m) => cnpValid(m[0]), overrides: CORRECTS },
  // Norwegian fødselsnummer: a date and two check digits.
  { type: "NATIONAL_ID", re: /(?<![\d-])\d{6} ?\d{5}(?![\d-])/g, accept: (m) => fodselsnummerValid(m[0]), overrides: CORRECTS },
  // Polish PESEL and Greek AMKA: eleven digits whose check passes one time in ten; a word must name them.
  {
    type: "NATIONAL_ID",
    re: /(?<![\d-])\d{11}(?![\d-])/g,
    accept: (m, text) => (peselValid(m[0]) || amkaValid(m[0])) && idNear(m, text),
    overrides: CORRECTS,
  },
  // Danish CPR number: a date and four digits, no check digit left; named, or written DDMMYY-SSSS beside "CPR".
  { type: "NATIONAL_ID", re: /(?<![\d-])\d{6}-?\d{4}(?![\d-])/g, accept: (m, text) => cprDateValid(m[0]) && idNear(m, text), overrides: CORRECTS },
  // Austrian social insurance number: serial, check digit and birth date (printed "1237 010180").
  { type: "NATIONAL_ID", re: /(?<![\d-])\d{4} ?\d{6}(?![\d-])/g, accept: (m, text) => atSvnrValid(m[0]) && idNear(m, text), overrides: CORRECTS },
  // Portuguese NIF: nine digits, mod 11.
  { type: "NATIONAL_ID", re: /(?<![\d-])\d{3} ?\d{3} ?\d{3}(?![\d-])/g, accept: (m, text) => ptNifValid(m[0]) && /\b(?:NIF|contribuinte)\b/i.test(sentenceBefore(text, m.index, 60)), overrides: CORRECTS },
  // Spanish social security number: province, number and a mod-97 check ("28 1234567840", "28/12345678/40").
  {
    type: "NATIONAL_ID",
    re: /(?<![\d/-])\d{2}[ /-]?\d{7,8}[ /-]?\d{2}(?![\d/-])/g,
    accept: (m, text) => esNssValid(m[0]) && /seguridad social|afiliaci[oó]n|\bNSS\b|\bN\.?º? ?S\.?S\.?/i.test(sentenceBefore(text, m.index, 100)),
    overrides: CORRECTS,
  },
  // EU VAT numbers: the country prefix and its own layout; valid by their check, or named as a VAT number.
  {
    type: "ACCOUNT",
    re: /(?<![A-Za-z0-9])(?:ATU\d{8}|BE ?[01]\d{3}\.?\d{3}\.?\d{3}|DE ?\d{9}|ES ?[A-Z0-9]\d{7}[A-Z0-9]|FR ?[0-9A-HJ-NP-Z]{2} ?\d{3} ?\d{3} ?\d{3}|IT ?\d{11}|NL ?\d{9}B\d{2}|(?:CZ|DK|FI|HU|LU|MT|SI)\d{8,10}|(?:PL|PT|SE|SK|RO|BG|HR|CY|EE|EL|GR|IE|LT|LV)[0-9A-Z]{8,12})(?![A-Za-z0-9])/g,
    accept: (m, text) => vatValid(m[0]) || VAT_CONTEXT.test(sentenceBefore(text, m.index, 60)),
    overrides: ["PHONE", "NATIONAL_ID", "IBAN", "CARD"],
  },
  // Italian partita IVA written without its "IT": eleven digits, Luhn, named in the sentence.
  {
    type: "ACCOUNT",
    re: /(?<![\d-])\d{11}(?![\d-])/g,
    accept: (m, text) => vatValid(`IT${m[0]}`) && /partita IVA|P\. ?IVA|\bIVA\b/i.test(sentenceBefore(text, m.index, 60)),
    overrides: ["PHONE", "NATIONAL_ID", "CARD"],
  },
  // Spanish CIF (a company's tax code): its control character checked.
  { type: "ACCOUNT", re: /(?<![A-Za-z0-9])[ABCDEFGHJNPQRSUVW]-?\d{7}[0-9A-J](?![A-Za-z0-9])/g, accept: (m) => cifValid(m[0]), overrides: ["PHONE", "NATIONAL_ID"] },
  // French SIREN and SIRET (company registration), checked with Luhn and named.
  {
    type: "ACCOUNT",
    re: /(?<![\d-])(?:\d{3} ?\d{3} ?\d{3}(?: ?\d{5})?)(?![\d-])/g,
    accept: (m, text) => sirenSiretValid(m[0]) && /\b(?:SIREN|SIRET|RCS|n° d'entreprise|Kbis)\b/i.test(sentenceBefore(text, m.index, 60)),
    overrides: ["PHONE", "NATIONAL_ID", "CARD"],
  },
];
