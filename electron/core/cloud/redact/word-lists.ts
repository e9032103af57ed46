import { createRequire } from "node:module";
import { commonness, wordClasses } from "./lexicon.js";

/**
 * Everyday words and personal names in German, French, Dutch, Italian and Spanish, from the zxcvbn-ts language
 * packages (MIT; frequency-ranked word lists, given names and surnames). The tagger is trained on English text, so
 * without these a capitalised German noun ("Betrag") or a Spanish sentence start ("Escribe") looks like a name.
 */

const LANGUAGES = ["de", "fr", "nl-be", "it", "es-es"] as const;

type Lists = { common: Map<string, number>; names: Set<string> };
let lists: Lists | undefined;

function load(): Lists {
  const require = createRequire(import.meta.url);
  const common = new Map<string, number>();
  const names = new Set<string>();
  for (const lang of LANGUAGES) {
    const words = require(`@zxcvbn-ts/language-${lang}/src/commonWords.json`) as string[];
    words.forEach((w, rank) => {
      const key = w.toLowerCase();
      const seen = common.get(key);
      if (seen === undefined || rank < seen) common.set(key, rank);
    });
    const files = lang === "nl-be" ? ["boysFirstnames", "girlsFirstnames", "lastnames"] : ["firstnames", "lastnames"];
    for (const file of files) {
      for (const w of require(`@zxcvbn-ts/language-${lang}/src/${file}.json`) as string[]) names.add(w.toLowerCase());
    }
  }
  return { common, names };
}

/** Frequency rank (0 = most frequent) of a word among the five languages' everyday words; undefined if none has it. */
export function foreignRank(word: string): number | undefined {
  lists ??= load();
  return lists.common.get(word.toLowerCase());
}

/** A given name or surname in any of the lists (English ones from compromise included). */
export function isKnownName(word: string): boolean {
  lists ??= load();
  if (lists.names.has(word.toLowerCase())) return true;
  return wordClasses(word).some((c) => c === "FIRST" || c === "LAST");
}

/** A place or organisation compromise knows ("Bath", "Leeds"): kept even when also a word. */
export function isKnownPlace(word: string): boolean {
  return wordClasses(word).some((c) => c === "PLACE" || c === "COUNTRY" || c === "ORG");
}

/**
 * An everyday word rather than a name: common in English (SCOWL's most frequent levels) or among the first
 * `FOREIGN_TOP` words of another language, and not a known name or place. "Sommer" and "Lange" are surnames too,
 * so a caller that sees a given name beside one keeps it.
 */
export function isEverydayWord(word: string): boolean {
  let known = everyday.get(word);
  if (known === undefined) {
    known = computeEveryday(word);
    if (everyday.size > 50_000) everyday.clear();
    everyday.set(word, known);
  }
  return known;
}
const everyday = new Map<string, boolean>();

function computeEveryday(word: string): boolean {
  if (!/^\p{L}[\p{L}'’]*$/u.test(word)) return false;
  const rank = foreignRank(word);
  const english = commonness(word);
  const common = (english > 0 && english <= 2) || (rank !== undefined && rank < FOREIGN_TOP);
  if (!common) return false;
  return !isKnownName(word) && !isKnownPlace(word);
}
const FOREIGN_TOP = 8000;

/**
 * An everyday word where the text's language capitalises only names (English and the Romance languages, Dutch):
 * there a mid-sentence capital is strong evidence, so only English's own lists (which leave names out) count.
 * The other languages' lists come from subtitles and hold many city names ("Bologna", "Lyon").
 */
export function isEverydayEnglishWord(word: string): boolean {
  const english = commonness(word);
  return english > 0 && english <= 2 && !isKnownName(word) && !isKnownPlace(word);
}

let germanWiki: Map<string, number> | undefined;

/**
 * A German word frequent in Wikipedia but absent from everyday speech is mostly a proper name ("Stuttgart",
 * "Rostock"); everyday nouns ("Frist", "Vorlage") are either spoken or rarer.
 */
export function isGermanProperNoun(word: string): boolean {
  if (!germanWiki) {
    const require = createRequire(import.meta.url);
    germanWiki = new Map((require("@zxcvbn-ts/language-de/src/wikipedia.json") as string[]).map((w, i) => [w, i] as const));
  }
  const lower = word.toLowerCase();
  const rank = germanWiki.get(lower);
  return rank !== undefined && rank < GERMAN_PROPER_RANK && !germanSpoken().has(lower);
}
const GERMAN_PROPER_RANK = 2500;

/** A word of German Wikipedia or speech that no name list has: in German text a noun ("Frist", "Vorlage"). */
export function isGermanNoun(word: string): boolean {
  if (isKnownName(word) || isGermanProperNoun(word)) return false;
  const lower = word.toLowerCase();
  return germanWiki?.has(lower) === true || germanSpoken().has(lower);
}
let spoken: Set<string> | undefined;
function germanSpoken(): Set<string> {
  spoken ??= new Set(createRequire(import.meta.url)("@zxcvbn-ts/language-de/src/commonWords.json") as string[]);
  return spoken;
}

/** Common in some language even though a name list has it too ("Sommer", "Weiß", "Freitag"). */
export function isCommonWordAtAll(word: string): boolean {
  const rank = foreignRank(word);
  const english = commonness(word);
  return (english > 0 && english <= 2) || (rank !== undefined && rank < FOREIGN_TOP);
}

/** Weekdays and months in the five languages ("bis Freitag", "le 3 mars"): dates, not names. */
const CALENDAR = new Set(
  ("montag dienstag mittwoch donnerstag freitag samstag sonntag januar jänner februar märz mai juni juli oktober dezember " +
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril juin juillet août septembre octobre novembre décembre " +
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart mei augustus " +
    "lunedì martedì mercoledì giovedì venerdì sabato domenica gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre dicembre " +
    "lunes martes miércoles jueves viernes sábado domingo enero febrero abril mayo junio julio septiembre octubre noviembre diciembre").split(" "),
);

export function isCalendarWord(word: string): boolean {
  return CALENDAR.has(word.toLowerCase()) || HOLIDAYS.has(word.toLowerCase()) || wordClasses(word).includes("TIME");
}

/**
 * A German noun in an inflected or compound form no list holds: "Beispielen" (Beispiel), "Ausnahmen" (Ausnahme),
 * "Varianzen" (Varianz), "Suchbaum" (…baum), "Gemeinderat" (…rat). Names are left out: a listed name or a
 * compound whose last part is a name ("Rosenbaum", "Zimmermann") is not a noun here.
 */
export function isGermanNounForm(word: string, strict = false): boolean {
  if (!/^\p{Lu}\p{Ll}+$/u.test(word) || isKnownName(word) || isKnownPlace(word)) return false;
  const lower = word.toLowerCase();
  for (const ending of ["en", "n", "e", "s", "es", "er", "ern"]) {
    if (lower.length - ending.length >= 4 && lower.endsWith(ending) && isGermanNoun(lower.slice(0, -ending.length))) return true;
  }
  // A compound: its last part is a listed word of three letters or more; towns are compounds too ("Kons|tanz"),
  // so where a place may be meant (`strict`) the head must be a listed word as well ("Gemeinde|rat").
  for (let k = 3; k <= lower.length - 3; k++) {
    const tail = lower.slice(k);
    const head = lower.slice(0, k);
    if (!strict) {
      if (tail.length >= 4 && germanListed(tail) && (foreignRank(tail) ?? 0) < COMPOUND_TAIL_RANK) return true;
    }
    // Strict: both parts everyday spoken German, the head four letters or more.
    const spokenWord = (x: string): boolean => germanSpoken().has(x) && (foreignRank(x) ?? Infinity) < STRICT_PART_RANK;
    if (spokenWord(tail) && [head, head.replace(/(?:s|n|en|e)$/u, "")].some((h) => h.length >= 4 && spokenWord(h))) return true;
  }
  return false;
}
function germanListed(word: string): boolean {
  germanWiki ?? isGermanProperNoun("");
  return germanWiki?.has(word) === true || germanSpoken().has(word);
}
const COMPOUND_TAIL_RANK = 20_000;
const STRICT_PART_RANK = 10_000;

/** Public and religious holidays ("Ferragosto", "Hemelvaartsdag", "día de la Hispanidad"): dates, not places. */
const HOLIDAYS = new Set(
  ("easter christmas whitsun thanksgiving halloween ostern weihnachten pfingsten fronleichnam himmelfahrt silvester " +
    "fasching karneval pâques noël toussaint pentecôte ascension assomption pasen kerstmis pinksteren hemelvaartsdag " +
    "koningsdag bevrijdingsdag sinterklaas pasqua natale ferragosto epifania pentecoste capodanno navidad nochebuena " +
    "nochevieja hispanidad epifanía pascua reyes karfreitag ostermontag pfingstmontag allerheiligen allerseelen " +
    "reformationstag pasquetta ognissanti allerheiligen hemelvaart paasmaandag pinkstermaandag").split(" "),
);
export function isHoliday(word: string): boolean {
  return HOLIDAYS.has(word.toLowerCase());
}
