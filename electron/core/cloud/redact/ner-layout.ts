import { commonness, wordClasses } from "./lexicon.js";
import { sentenceStart, type TokenSpan } from "./ner-spans.js";
import type { Token } from "./tokenize.js";
import { foreignRank, isCalendarWord, isEverydayWord, isKnownName, isKnownPlace } from "./word-lists.js";

/**
 * Tagged spans that the way a message is written explains better than a name: headings in capitals, clauses in
 * Title Case, labels of notes and lists before a colon, a word after an article, and outside English a request's
 * opening verb or adverb. The tagger learned names from English prose, where none of these carry a capital.
 */

/**
 * A heading or a label in capitals ("REGOLAMENTO INTERNO", "PENSION OPT-OUT") is made of everyday words; a name or
 * a town written in capitals on an address line ("TYSTBERGA", "MÜLLER") is not.
 */
function isCapsHeading(value: string, line: string): boolean {
  const words = value.split(/[^\p{L}]+/u).filter((w) => w.length > 0);
  // "SK", "NS" on a line of their own are regions, not headings: a heading has a word of three letters or more.
  if (!words.some((w) => w.length > 2) || !words.every((w) => w === w.toUpperCase() && /\p{Lu}/u.test(w))) return false;
  if (words.every((w) => w.length <= 2 || isEverydayWord(w) || wordClasses(w).includes("FUNC") || isCalendarWord(w))) return true;
  // Several words on a line without numbers (an address line has a postcode): any listed word of some language.
  const listed = (w: string): boolean => (foreignRank(w) !== undefined || commonness(w) > 0) && !isKnownName(w);
  return words.length >= 2 && !/\p{N}/u.test(line) && words.every((w) => w.length <= 2 || listed(w));
}

/** A word some language's everyday lists hold, and no name list. */
function listedWord(w: string): boolean {
  return !isKnownName(w) && (foreignRank(w) !== undefined || commonness(w) > 0 || wordClasses(w).includes("FUNC"));
}

/** The tokens of the line that holds token `i`. */
function lineOf(tokens: readonly Token[], text: string, i: number): Token[] {
  let a = i;
  let b = i;
  while (a > 0 && !text.slice(tokens[a - 1]?.end ?? 0, tokens[a]?.start ?? 0).includes("\n")) a--;
  while (b < tokens.length - 1 && !text.slice(tokens[b]?.end ?? 0, tokens[b + 1]?.start ?? 0).includes("\n")) b++;
  return tokens.slice(a, b + 1);
}

/**
 * "Las Solicitudes De Vacaciones Deben Presentarse Con Dos Semanas": in a line written in Title Case every word is
 * capitalised, so a capital says nothing; a span there made only of listed everyday words is part of the sentence.
 */
const TITLE_CASE_LITTLE_RANK = 100;
const TITLE_CASE_COMMON_RANK = 1000;
function titleCaseWords(tokens: readonly Token[], s: TokenSpan, text: string): boolean {
  // The clause around the span: from the last colon, quote or sentence end before it to the next one after it.
  const line = lineOf(tokens, text, s.from);
  const at = line.findIndex((t) => t === tokens[s.from]);
  const boundary = (t: Token | undefined): boolean => /^[.!?:;"«»“”]$/u.test(t?.text ?? "");
  let a = at;
  let b = at;
  while (a > 0 && !boundary(line[a - 1])) a--;
  while (b < line.length - 1 && !boundary(line[b + 1])) b++;
  const words = line.slice(a, b + 1).filter((t) => /^\p{L}{2,}$/u.test(t.text));
  if (words.length < 5) return false;
  const capitalised = words.filter((t) => /^\p{Lu}/u.test(t.text)).length;
  if (capitalised / words.length < 0.8) return false;
  // Title Case capitalises the little words too ("De", "Con", "Op", "With"); a company's name seldom does.
  const little = (w: string): boolean => wordClasses(w).includes("FUNC") || (foreignRank(w) ?? Infinity) < TITLE_CASE_LITTLE_RANK;
  const littles = new Set(words.slice(1).filter((t) => /^\p{Lu}/u.test(t.text) && little(t.text) && !isKnownName(t.text)).map((t) => t.text));
  if (littles.size < 2 || tokens.slice(s.from, s.to + 1).some((t) => /\p{N}/u.test(t.text))) return false;
  // A very frequent word that some name list also holds ("Vanno") is still the word, unless English lists a given name.
  const everyday = (w: string): boolean =>
    listedWord(w) || ((foreignRank(w) ?? Infinity) < TITLE_CASE_COMMON_RANK && !wordClasses(w).some((c) => c === "FIRST" || c === "LAST"));
  // Most of the span's words everyday, none a known name: "Solicitudes De Reembolso Deben Enviarse".
  const span = tokens.slice(s.from, s.to + 1).filter((t) => /^\p{L}/u.test(t.text)).map((t) => t.text);
  const common = span.filter(everyday).length;
  return common * 3 >= span.length * (span.length <= 2 ? 3 : 2) && span.every((w) => everyday(w) || !isKnownName(w));
}

/**
 * "- Examen : râles ...", "Antecedentes: asma", "Scaletta del corso:": a word opening a line and ending, alone or with
 * a few lower-case words, in a colon is a label of a note or a list, not a name.
 */
function lineLabel(tokens: readonly Token[], s: TokenSpan, text: string): boolean {
  // Only an everyday word: "Koppány: "Who are you?"" in a transcript is a speaker's name.
  if (s.from !== s.to || !listedWord(tokens[s.from]?.text ?? "")) return false;
  const line = lineOf(tokens, text, s.from);
  const at = line.findIndex((t) => t === tokens[s.from]);
  if (!line.slice(0, at).every((t) => /^[-*•·–—\d.)]+$/u.test(t.text))) return false;
  for (let k = at + 1; k < line.length && k <= at + 4; k++) {
    const t = line[k]?.text ?? "";
    if (t === ":") return true;
    if (!/^\p{Ll}+$/u.test(t)) return false;
  }
  return false;
}

/** Articles that no name takes in these languages ("het Engels", "il Sistema", "el Euríbor", "un BTP"). */
const NON_NAME_ARTICLES = new Set("het een il lo gli un une uno una el los las".split(" "));

// ("a", "an", "in", "is" are left out: Italian, German and Dutch write them too.)
const ENGLISH_FUNCTION_WORDS = new Set("the and or of to on for with are was be it this that what how why can you please".split(" "));
/** Function words of the other five languages that English never writes ("la", "und", "het", "che", "los"). */
const FOREIGN_FUNCTION_WORDS = new Set(
  // (Only words English text never has: not "die", "van", "per", "con", "de", "la", "el", "los", "las" as in
  // "de Souza", "La Paz", "El Paso", "Los Angeles", "per year".)
  ("les des du est une qui que pour avec dans sont cette ces leur selon merci être " +
    "der das und ist nicht mit für eine sich auch oder wird werden ich wir zum zur vom beim bitte " +
    "het een niet voor zijn worden wordt naar bij ook nog uit vanaf graag moet hoe welke deze dit " +
    "gli che è della sono questo questa cosa sul sulla nel nella degli delle alla dal dei anche come tra più ogni " +
    "para por pero también según cómo qué entre hasta desde antes después está este esta estos muy más sin hay").split(" "),
);
/** Whether the text reads as English (the tagger's own language) rather than one of the other five. */
export function isEnglishText(tokens: readonly Token[]): boolean {
  let english = 0;
  let foreign = 0;
  let shared = 0;
  for (const t of tokens) {
    const w = t.text.toLowerCase();
    if (FOREIGN_FUNCTION_WORDS.has(w)) foreign++;
    else if (ENGLISH_FUNCTION_WORDS.has(w)) english++;
    else if (SHARED_FUNCTION_WORDS.has(w)) shared++;
  }
  // "de", "la", "el" count only where no English word is seen: then they are not parts of names ("de Souza").
  const other = foreign + (english === 0 ? shared : 0);
  return english > other || other === 0;
}
/** Function words of the other languages that English names also hold ("de Souza", "La Paz", "Los Angeles"). */
const SHARED_FUNCTION_WORDS = new Set("de la le el los las del van die per con en et y il di da".split(" "));

/** Whether the layout around a tagged span explains its capitals (see the file's comment). */
export function explainedByLayout(
  text: string,
  tokens: readonly Token[],
  s: TokenSpan,
  { german, english }: { german: boolean; english: boolean },
): boolean {
  const start = tokens[s.from]?.start ?? 0;
  const end = tokens[s.to]?.end ?? 0;
  const value = text.slice(start, end);
  const lineEnd = text.indexOf("\n", end);
  if (isCapsHeading(value, text.slice(text.lastIndexOf("\n", start) + 1, lineEnd === -1 ? text.length : lineEnd))) return true;
  if (!german && titleCaseWords(tokens, s, text)) return true;
  if (lineLabel(tokens, s, text)) return true;
  // After an article a capitalised word is a language, a product or a body, not a person: "naar het Engels".
  // Only words some language lists: "in het Diakonessenhuis" is a hospital's own name and stays hidden.
  const before = (tokens[s.from - 1]?.text ?? "").toLowerCase();
  const listed = (w: string): boolean => /^\p{Lu}{2,5}$/u.test(w) || foreignRank(w) !== undefined || commonness(w) > 0;
  const personOrAddress = s.type === "PERSON" || s.type === "ADDRESS";
  if (!german && !english && personOrAddress && NON_NAME_ARTICLES.has(before) && !/\p{N}/u.test(value) && value.split(/[\s-]+/u).every(listed)) return true;
  // Outside English a lone word no name list knows, opening a sentence before a lower-case word, is a verb or an
  // adverb of the request ("Riassumi cosa ...", "Bijgaand vindt u ...", "Adjunto encontrarán ..."), not a name.
  // The next word must be on the same line: a town on an address line ("Tujetsch", then "nan") is no request.
  const next = tokens[s.to + 1];
  const word = tokens[s.from]?.text ?? "";
  if (english || s.from !== s.to || next === undefined || text.slice(end, next.start).includes("\n")) return false;
  return sentenceStart(tokens, s.from) && /^\p{Ll}/u.test(next.text) && /^\p{Lu}\p{Ll}/u.test(word) && !isKnownName(word) && !isKnownPlace(word);
}
