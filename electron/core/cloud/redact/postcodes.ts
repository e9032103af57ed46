import { streetBefore } from "./addresses.js";
import { after, before, ci, type Rule } from "./rule.js";

/**
 * Postcodes: the UK and Canadian grammars are strict enough alone; US ZIPs follow a state; Dutch, German,
 * French, Italian and Spanish ones are plain numbers, so they count only next to a street or before a town,
 * never as a year or a quantity ("12000 Euro", "1500 AD", "2000 GB").
 */

// UK: outward code (area, district) and inward code (sector, unit), with the letters each position allows.
const UK =
  "(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])";
const US_STATES = "(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])";

// Words that follow a number but are not towns: units, currencies and counted things.
const NOT_A_TOWN = new Set(
  (
    "euro euros eur usd dollar dollars chf franken pfund pound pounds gbp yen mitarbeiter menschen einwohner patienten " +
    "kunden nutzer besucher stück jahre tonnen meter kilometer seiten punkte fälle stunden tage personen " +
    "habitants personnes patients salariés employés clients unités ans jours heures mètres kilomètres " +
    "inwoners mensen patiënten klanten medewerkers jaar dagen uur abitanti persone pazienti clienti dipendenti anni giorni " +
    "habitantes personas pacientes empleados años días horas ad bc gb mb kb tb km kg mg ml am pm ce bce"
  ).split(" "),
);
// A postcode found in its address is not a phone or an account number, whatever the generic patterns say.
const CORRECTS = ["PHONE", "ACCOUNT", "DATE"] as const;
const POSTCODE_WORDS = ci("postcode|post code|postal code|zip code|zip|plz|postleitzahl|code postal|cp|cap|código postal|codigo postal|c\\.p\\.");

/** A capitalised word after the number that is not a unit or a counted noun; `strict`: and the phrase ends there. */
function townFollows(text: string, end: number, strict = false): boolean {
  const m = /^[ \u00a0]+([\p{Lu}][\p{L}'’-]+)(.?)/u.exec(after(text, end, 40));
  if (m === null || NOT_A_TOWN.has((m[1] ?? "").toLowerCase())) return false;
  // After a bare comma a German noun could follow a count: "..., 25000 Studierende und"; a town ends the line.
  return !strict || /^(?:|[,.;:)\n(]| )$/u.test(m[2] ?? "") && !/^ \p{Ll}/u.test(after(text, end + m[0].length - 1, 2));
}

/** Before the number: a street with its number (strong), "in"/"à"/"D-" (a town follows), or a comma/line start. */
function addressLead(text: string, index: number, end: number): boolean {
  if (streetBefore(text, index)) return townFollows(text, end);
  const lead = before(text, index, 6);
  if (/(?:^|[^\p{L}])(?:in|aus|à|a|en|te|nach|bei|von|de)\s$/u.test(lead)) return townFollows(text, end);
  if (index === 0 || /[,\n]\s*$/u.test(lead)) return townFollows(text, end, true);
  return false;
}

export const POSTCODE_RULES: Rule[] = [
  // UK, outward and inward code with their space: BA1 2QT, SW1A 1AA. Format only, but a strict one.
  { type: "POSTCODE", re: new RegExp(`\\b(?=[A-Z]{1,2}\\d[A-Z\\d]? \\d[A-Z]{2}\\b)(?:${UK} [0-9][ABD-HJLNP-UW-Z]{2}|GIR 0AA)\\b`, "g"), confidence: (m, text) => (streetBefore(text, m.index) ? undefined : 0.85) },
  // Canada: K1A 0B1.
  { type: "POSTCODE", re: /\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d\b/g, confidence: 0.85 },
  // US: a ZIP or ZIP+4 after its state ("Austin, TX 78701"), or a bare ZIP+4.
  { type: "POSTCODE", re: new RegExp(`\\b${US_STATES},? (\\d{5}(?:-\\d{4})?)\\b`, "g"), group: 1, overrides: CORRECTS },
  { type: "POSTCODE", re: /(?<![\d-])\d{5}-\d{4}(?![\d-])/g, confidence: 0.7 },
  // Australia: a four-digit postcode after its state ("Melbourne VIC 3000").
  { type: "POSTCODE", re: /\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),? (\d{4})\b/g, group: 1, overrides: CORRECTS },
  // Netherlands: 1012 AB, before a town or after a street.
  {
    type: "POSTCODE",
    re: /(?<![\d.,-])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b/g,
    accept: (m, text) =>
      !NOT_A_TOWN.has(m[0].slice(-2).toLowerCase()) && (townFollows(text, m.index + m[0].length) || streetBefore(text, m.index)),
    overrides: CORRECTS,
  },
  // Five digits (DE, FR, IT, ES) or four (AT, BE, CH, DK) before a town, after a street or a comma.
  {
    type: "POSTCODE",
    re: /(?<![\d.,/-])(?:(?:D|F|I|E|A|B|CH|L)-)?\d{4,5}(?![\d.,/-])/g,
    accept: (m, text) => {
      const end = m.index + m[0].length;
      if (/^[A-Z]+-/.test(m[0])) return townFollows(text, end);
      if (m[0].length === 4 && !streetBefore(text, m.index)) return false;
      return addressLead(text, m.index, end);
    },
    overrides: CORRECTS,
  },
  // A postcode named as such.
  {
    type: "POSTCODE",
    re: new RegExp(`(?<![A-Za-z])(?:${POSTCODE_WORDS})(?![A-Za-z])(?: (?:is|ist|est|es|è|was))?[: #.]*([A-Za-z0-9](?:[A-Za-z0-9 -]{1,8}[A-Za-z0-9])?)\\b`, "g"),
    group: 1,
    when: /post|zip|plz|code|cp|cap|c\.p/i,
    // Named, a UK postcode may be typed in lower case ("sw1a 1aa").
    accept: (m) => (/^[A-Z0-9 -]+$/.test(m[1] ?? "") && (m[1] ?? "").replace(/\D/g, "").length >= 3) || /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/.test(m[1] ?? ""),
    overrides: CORRECTS,
  },
];
