import { before, ci, type Rule } from "./rule.js";

/**
 * Full dates (day, month and year: a date of birth may be one) in numeric and written forms in six languages,
 * and a bare year only after "born" / "DOB" / "geb." / "né en" / "nato nel" / "nacido en". Bare years, weekdays
 * and month-year stay: they rarely identify anyone and the answer usually needs them.
 */

const MONTH_NAMES = [
  // English
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?",
  // German
  "januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember|okt",
  // French
  "janvier|janv|février|fevrier|févr|mars|avril|avr|juin|juillet|juil|août|aout|septembre|octobre|novembre|décembre|decembre|déc",
  // Dutch
  "januari|februari|maart|mei|augustus|oktober",
  // Italian
  "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|genn?|febb?|magg?|giu|lug|ago|sett?|ott|dic",
  // Spanish
  "enero|febrero|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|ene|abr|jun|jul|dic",
].join("|");
const MONTH = `(?:${MONTH_NAMES})\\.?`;
const DAY = "(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th|er|e|\\.|º)?";

/** Day and month in either order must be possible (12-34-56 is a sort code, 1.2.33 not a date). */
function numericDateValid(m: RegExpExecArray, text: string): boolean {
  // "version 1.2.33", "v2.10.24": release numbers, not dates.
  if (/\b(?:v|version|ver\.?|release|rev\.?|build)\s*$/i.test(before(text, m.index, 12))) return false;
  const parts = m[0].split(/[/.-]/);
  if (m[0].includes(".") && (parts[2] ?? "").length === 2 && ((parts[0] ?? "").length === 1 || (parts[1] ?? "").length === 1)) return false;
  const [a, b] = parts.map(Number) as [number, number];
  const dayMonth = a >= 1 && a <= 31 && b >= 1 && b <= 12;
  const monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
  return dayMonth || monthDay;
}

// "nato" stays lower-case (or sentence-initial): NATO is not a birth.
const BIRTH_WORDS = `nato|nata|Nato|Nata|${ci(
  "born|b\\.|dob|d\\.o\\.b\\.|date of birth|birth date|birthdate|geb\\.|geboren|geburtsdatum|geburtstag|" +
    "née|né|date de naissance|naissance|geboortedatum|geb\\. op|data di nascita|nascita|" +
    "fecha de nacimiento|f\\. nac\\.|nacimiento|nacido|nacida",
)}`;
const BIRTH_LINK = ci("(?:on|in|am|im|le|en|op|il|el|nel|nell'|the|:)");
const BIRTH_VALUE = `(\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}|(?:(?:${DAY}\\s?(?:(?:of|de)\\s)?)?${ci(MONTH)}\\s(?:(?:de|del)\\s)?)?\\d{4}|\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2}))`;

export const DATE_RULES: Rule[] = [
  { type: "DATE", re: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\b/g },
  {
    type: "DATE",
    re: /(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/-]|\.\d)/g,
    accept: (m, text) => numericDateValid(m, text) && !/sort[- ]?code[\s.:#]*$/i.test(before(text, m.index, 20)),
  },
  // "January 3, 2024", "March 12th 1961".
  { type: "DATE", re: new RegExp(`\\b(?=\\p{L}{3,10}\\.? \\d)${MONTH} ${DAY},? \\d{4}\\b`, "giu") },
  // "12 March 1961", "12. März 1961", "1er janvier 1961", "12 de marzo de 1961", "12 maart 1961".
  { type: "DATE", re: new RegExp(`\\b(?=\\d{1,2}\\D{0,6}\\p{L}{3})${DAY}\\s?(?:(?:of|de)\\s)?${MONTH},?\\s(?:(?:de|del)\\s)?\\d{4}\\b`, "giu") },
  // A year or date next to "born" / "DOB" / "geb." / "né le" / "nato il" / "fecha de nacimiento".
  {
    type: "DATE",
    re: new RegExp(`(?<![\\p{L}])(?:${BIRTH_WORDS})(?![\\p{L}])[:\\s]*(?:${BIRTH_LINK}\\s*)?${BIRTH_VALUE}(?!\\d)`, "gu"),
    group: 1,
  },
];
