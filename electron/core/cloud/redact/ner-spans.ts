import type { RedactionType } from "./detection.js";
import { commonness, wordClasses } from "./lexicon.js";
import { isPublicName } from "./terms.js";
import type { Token } from "./tokenize.js";
import { isTitle } from "./ner-rules.js";
import { isVerbContraction, looksLikeVerbForm } from "./verb-forms.js";
import {
  foreignRank,
  isCalendarWord,
  isCommonWordAtAll,
  isEverydayEnglishWord,
  isEverydayWord,
  isGermanNoun,
  isGermanNounForm,
  isGermanProperNoun,
  isKnownName,
  isKnownPlace,
} from "./word-lists.js";

/**
 * Turning the tagger's token labels into clean spans: where an entity must stop (a sentence's full stop, a
 * lower-case word, "v." between two parties), which words at its edges are not part of it (articles, everyday
 * words, sentence starts), and which whole spans name no one (eponyms in terms, public bodies).
 */

/** A span over tokens `from..to` (inclusive) with the smallest tagger margin inside it. */
export type TokenSpan = { type: RedactionType; from: number; to: number; margin: number };

/** Words that belong inside addresses and names although they are common ("Suite", "de", "van", "rue"). */
const ENTITY_WORDS = new Set(
  ("street st road rd avenue ave lane drive court place square way close apt apartment suite unit floor box " +
    "north south east west upper lower new old saint san santa sankt st. ste " +
    "de del della delle di da la le les van von der den ten ter du des dos das zu y " +
    "rue chemin allée impasse boulevard bd quai straße strasse str gasse weg platz allee ring " +
    "straat laan plein gracht kade singel via viale piazza corso vicolo largo calle avenida paseo plaza camino " +
    "and of & ul al").split(" "),
);
const PARTICLES = new Set("de del della delle di da la le les van von der den ten ter du des dos das zu y".split(" "));
/** Articles that put a common noun after them; name particles ("de", "la", "le") are left out on purpose. */
const ARTICLES = new Set(
  ("der die das den dem des ein eine einen einem einer eines kein keine keinen meine meinen ihre ihren unsere " +
    "unseren diese dieser dieses diesen jede jeder jeden welche welcher welches welchem welchen solche solchen manche " +
    "alle allen beide beiden viele vielen mehrere einige einigen andere anderen seine seinen ihrem unserem " +
    "het een les un une il lo gli una uno el los las").split(" "),
);
/** Greetings before a name ("Geachte", "Estimada", "Egregio"): never part of it. */
const SALUTATIONS = new Set(
  ("dear hi hello hey geachte beste lieve egregio egregia gentile gentilissimo gentilissima caro cara estimado " +
    "estimada estimados estimadas querido querida bonjour bonsoir cher chère chers madame monsieur hallo liebe " +
    "lieber sehr geehrte geehrter hola buongiorno buonasera ciao salve goedemorgen goedemiddag").split(" "),
);
/** Street words and endings that make a numbered span an address ("Hauptstraße 5", "Via Roma 12"). */
const STREET_WORD = /(?:straße|strasse|str\.?|weg|platz|gasse|allee|ring|damm|ufer|chaussee|straat|laan|plein|gracht|kade|singel|dijk|rue|avenue|chemin|allée|boulevard|impasse|quai|via|viale|piazza|corso|vicolo|largo|calle|avenida|paseo|plaza|camino|carrer|street|st|road|rd|lane|ln|drive|dr|avenue|ave|way|close|crescent|court|place|square|terrace|gardens|row|walk|lodge|apt|suite|unit|flat)$/iu;
/** Whether a word names a kind of street or ends like one ("Road", "Hauptstraße", "Via", "Ebersberg"). */
export function isStreetOrPlaceWord(word: string): boolean {
  return STREET_WORD.test(word) || PLACE_SUFFIX.test(word);
}
/** Romance and German noun and adjective endings of lower-case words ("regressione", "verticales", "tacche"). */
const LOWER_NOUN_SHAPE = /(?:ione|ioni|ción|ciones|sión|siones|ales|ables|ità|idad|mente|ismo|ista|tura|ture|cche|cchi|ghe|ghi|ung|ungen|heit|keit|eur|eux|ique|iques)$/u;
const ABBREVIATIONS = new Set(["st", "dr", "mt", "ste", "jr", "sr", "ft"]);
/** German and Romance noun endings that personal names almost never have ("Überweisung", "Segnalazione"). */
const NOUN_SUFFIX = /(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tät|täten|nis|nisse|tum|ismus|zione|zioni|ción|ciones|sión|mento|miento|dad|ité|tion|ement|eit|ing)$/u;

const isWord = (t: string): boolean => /^\p{L}[\p{L}\p{M}'’.-]*$/u.test(t);
const isLower = (t: string): boolean => /^\p{Ll}/u.test(t);
const isCapitalised = (t: string): boolean => /^\p{Lu}/u.test(t);

export function sentenceStart(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return i === 0 || (tokens[i]?.lineStart ?? false) || (prev !== undefined && /^[.!?:;"«»“”¿¡()[\]]$/u.test(prev.text));
}

/** A capitalised word that reads as an ordinary noun or verb here, not as a name. */
function notAName(tokens: readonly Token[], i: number, german: boolean): boolean {
  const w = tokens[i]?.text ?? "";
  if (!isWord(w)) return false;
  // "SUND", "TYSTBERGA": a word in capitals inside mixed-case text is a heading or a place on an address line.
  if (/^\p{Lu}{2,}$/u.test(w)) return false;
  if (isTitle(w) || isCalendarWord(w)) return true;
  // "Rédige ...", "Formuliere ...", "Vergelijk ...", "Cos'è ...": a request opens with a verb, not a bare name.
  if (sentenceStart(tokens, i) && (isVerbContraction(w) || (looksLikeVerbForm(w) && !isKnownName(w) && !isKnownPlace(w)))) return true;
  // "überweisen Sie", "que", "las": a function word of any language is no name.
  if ((foreignRank(w) ?? Infinity) < FUNCTION_RANK && !isKnownName(w)) return true;
  // German puts no article before a name, even before one that Wikipedia lists often ("die Tabelle", "eine Liste").
  if (german && ARTICLES.has((tokens[i - 1]?.text ?? "").toLowerCase()) && isCapitalised(w) && !PLACE_SUFFIX.test(w)) return true;
  if (german && isGermanProperNoun(w)) return false;
  if ((german || sentenceStart(tokens, i) ? isEverydayWord(w) : isEverydayEnglishWord(w))) return true;
  if (w.length >= 7 && NOUN_SUFFIX.test(w.toLowerCase()) && !isKnownName(w) && foreignRank(w) !== undefined) return true;
  // A sentence's first word followed by a lower-case one: "Martin" there is a name only if a cue says so.
  const next = tokens[i + 1]?.text ?? "";
  if (!sentenceStart(tokens, i) || !(next === "" || isLower(next) || /^[,.!?;:]$/.test(next))) return false;
  // "Che cosa ...", "Secondo la ...": a function word that is also a name somewhere opens a sentence as the word.
  const rank = foreignRank(w);
  return (isCommonWordAtAll(w) && !isKnownName(w)) || (rank !== undefined && rank < VERY_COMMON);
}

const VERY_COMMON = 1000;
const FUNCTION_RANK = 60;

/** Where a run of equally labelled tokens must end before token `i`. */
function breaksBefore(tokens: readonly Token[], text: string, i: number, type: RedactionType, cased: boolean): boolean {
  const tok = tokens[i];
  const prev = tokens[i - 1];
  if (!tok || !prev) return true;
  if (text.slice(prev.end, tok.start).includes("\n")) return true;
  const t = tok.text;
  if (t === ".") {
    // "D." in "Faina D. Yefremova" and "St." in "St. Anna"; not "Crescent." or "v." before the next word.
    return !(/^\p{Lu}$/u.test(prev.text) || ABBREVIATIONS.has(prev.text.toLowerCase()));
  }
  if (prev.text === ".") return !(/^\p{Lu}$/u.test(tokens[i - 2]?.text ?? "") || ABBREVIATIONS.has((tokens[i - 2]?.text ?? "").toLowerCase()));
  if (t === ",") return type !== "ADDRESS";
  if (prev.text === "," && type !== "ADDRESS") return true;
  if (/^[?!;:()[\]{}"«»“”¿¡/|]$/u.test(t)) return true;
  if (!isWord(t)) return false;
  const lower = t.toLowerCase();
  if (ENTITY_WORDS.has(lower)) return false;
  if (isLower(t)) {
    if (cased && type !== "ADDRESS") return true;
    const rank = commonness(t);
    const foreign = foreignRank(t);
    return (rank > 0 && rank <= 2) || (foreign !== undefined && foreign < 8000);
  }
  return wordClasses(t).some((c) => c === "FUNC" || c === "VERB") && commonness(t) > 0 && commonness(t) <= 2;
}

/** Tokens at a span's edges that are not part of a name: punctuation, particles, articles, everyday words. */
function trimEdges(tokens: readonly Token[], span: TokenSpan, cased: boolean, german: boolean): TokenSpan | undefined {
  let { from, to } = span;
  const hasDigit = (): boolean => tokens.slice(from, to + 1).some((t) => /\p{N}/u.test(t.text));
  const weak = (i: number, edge: "left" | "right"): boolean => {
    const w = tokens[i]?.text ?? "";
    if (!isWord(w) && !/^\p{N}/u.test(w)) return true;
    if ((isTitle(w) || SALUTATIONS.has(w.toLowerCase())) && span.type === "PERSON") return true;
    if (span.type === "ADDRESS" && isLower(w) && !ENTITY_WORDS.has(w.toLowerCase())) return true;
    if (PARTICLES.has(w.toLowerCase())) return true;
    if (cased && isLower(w) && (span.type !== "ADDRESS" || !hasDigit())) return true;
    // In all-lower-case text a name may be lower case, but an everyday word ("que", "teorema") is still a word,
    // and so is one shaped like a Romance noun or adjective ("regressione", "verticales") or after an article.
    if (!cased && isLower(w) && isEverydayWord(w)) return true;
    if (!cased && isLower(w) && !isKnownName(w) && (foreignRank(w) !== undefined || LOWER_NOUN_SHAPE.test(w))) return true;
    if (!cased && isLower(w) && ARTICLES.has((tokens[i - 1]?.text ?? "").toLowerCase())) return true;
    if (span.type === "ADDRESS" && hasDigit()) return false;
    // Organisations and places are often made of words ("Royal United Hospital", "Pines Beach"); names are not.
    if (span.type !== "PERSON" && to > from) return false;
    if (!notAName(tokens, i, german)) return false;
    // "Katrin Sommer", "Robert Elms": a surname that is also a word stays beside a given name.
    if (edge === "right" && i > from && isCapitalised(w) && isKnownName(tokens[i - 1]?.text ?? "")) return false;
    if (edge === "left" && i < to && isKnownName(w) && isKnownName(tokens[i + 1]?.text ?? "") && !sentenceStart(tokens, i)) return false;
    return true;
  };
  while (from <= to && weak(from, "left")) from++;
  // German role nouns before a name ("Kundin Anna Schmidt", "Klägerin Renate Huber") are not part of it; the
  // word after must itself be capitalised ("das" is a surname somewhere too), and what is left is trimmed again.
  while (german && from < to && span.type === "PERSON" && !isKnownName(tokens[from]?.text ?? "") && isCapitalised(tokens[from + 1]?.text ?? "") && isKnownName(tokens[from + 1]?.text ?? "")) from++;
  while (from <= to && weak(from, "left")) from++;
  while (to >= from && weak(to, "right")) to--;
  return from <= to ? { ...span, from, to } : undefined;
}

const GERMAN_FUNCTION_WORDS = new Set(
  ("der die das den dem des ein eine einen einem einer und oder ist sind nicht mit für von zu auf bei aus nach " +
    "wie sie wir ich es sich auch wird werden kann können muss soll bitte im am vom zum zur über unter " +
    "als dass noch nur schon aber wenn weil bis seit ohne durch was wer wo warum welche welcher welches gibt hat " +
    "haben sowie jedoch bzw dieser diese dieses unsere unser ihre du dir dich mir mich uns man kannst bist").split(" "),
);

/**
 * German capitalises every noun, so there a capitalised word is a name only with some evidence: a name list
 * knows it, or it is short enough to be one. Long compounds ("Widerrufsbelehrung", "Überlebenszeit") never are.
 */
export function isGermanText(tokens: readonly Token[]): boolean {
  let words = 0;
  let german = 0;
  for (const t of tokens) {
    if (!/^\p{L}/u.test(t.text)) continue;
    words++;
    if (GERMAN_FUNCTION_WORDS.has(t.text.toLowerCase())) german++;
  }
  return german >= 2 && german / Math.max(words, 1) >= 0.12;
}

/** In German text: whether a tagged span has what a name needs (see isGermanText). */
export function plausibleInGerman(tokens: readonly Token[], span: TokenSpan): boolean {
  const words = tokens.slice(span.from, span.to + 1).filter((t) => isWord(t.text)).map((t) => t.text);
  // "Allgemeine Geschäftsbedingungen": a person's name never ends in a noun suffix.
  if (span.type === "PERSON" && words.some((w) => w.length >= 7 && NOUN_SUFFIX.test(w.toLowerCase()) && !isKnownName(w))) return false;
  // "Erläutere das Trennungsprinzip": an article inside a German name only follows "von" or "zu" ("von der Leyen").
  if (span.type === "PERSON" && tokens.slice(span.from, span.to + 1).some((t, k, all) => GERMAN_ARTICLE_IN_SPAN.has(t.text) && !/^(?:von|zu|van)$/u.test(all[k - 1]?.text ?? ""))) return false;
  // "in kleinen Betrieben": after a lower-case adjective a German noun form is a noun, listed or not.
  if (words.length === 1 && nounPosition(tokens, span.from) && !isKnownName(words[0] ?? "") && isGermanNounForm(words[0] ?? "")) return false;
  // "welche Rolle", "eine so große Rolle": after an adjective or a determiner a common word is a noun.
  if (words.length === 1 && nounPosition(tokens, span.from) && isCommonWordAtAll(words[0] ?? "")) return false;
  if (span.type === "ADDRESS" && tokens.slice(span.from, span.to + 1).some((t) => /\p{N}/u.test(t.text))) return true;
  if (words.some((w) => isKnownName(w) || isGermanProperNoun(w) || /^\p{Lu}{2,}$/u.test(w))) return true;
  if (span.type !== "PERSON" && words.some((w) => PLACE_SUFFIX.test(w))) return true;
  // Places fill Wikipedia too ("Konstanz", "Lissabon"), so only a person must not be a listed German word.
  const properish = (w: string): boolean =>
    !isEverydayWord(w) && !NOUN_SUFFIX.test(w.toLowerCase()) && !isGermanNounForm(w, span.type !== "PERSON") && (span.type !== "PERSON" || !isGermanNoun(w));
  // "Kreisklinik Ebersberg": a company or place of several words needs one word that is no everyday noun.
  if (words.length > 1 && span.type !== "PERSON" && words.some((w) => properish(w) && foreignRank(w) === undefined)) return true;
  return words.length > 0 && words.every((w) => w.length <= GERMAN_NAME_LENGTH && properish(w));
}
const GERMAN_NAME_LENGTH = 10;
const GERMAN_ARTICLE_IN_SPAN = new Set(["das", "die", "der", "dem", "den", "des", "ein", "eine", "einen", "einem"]);

/** Lower-case words after which a German name often comes ("in Rolle", "von Weber"); after others a noun does. */
const NAME_PREPOSITIONS = new Set(
  ("in im aus nach von vom bei beim an am für mit zu zum zur über gegen ab bis und oder wie durch als " +
    "an den die der das dem des").split(" "),
);
function nounPosition(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1]?.text ?? "";
  return /^\p{Ll}+$/u.test(prev) && !NAME_PREPOSITIONS.has(prev);
}
/** German, Dutch and Swiss place-name endings ("Ebersberg", "Gorredijk", "Wolfsburg", "Offenbach"). */
const PLACE_SUFFIX = /\p{Ll}(?:berg|burg|dorf|heim|hausen|stadt|feld|bach|ingen|furt|hafen|brück|brücken|kirchen|dijk|dam|wijk|veen|horst)$/u;

/** Whether the text has capitalised sentences (then a lower-case word inside a name ends it). */
export function isCasedText(tokens: readonly Token[]): boolean {
  let starts = 0;
  let capitalised = 0;
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1]?.text ?? "";
    if (!/^\p{L}/u.test(t.text) || !(i === 0 || t.lineStart || /^[.!?¿¡]$/.test(prev))) return;
    starts++;
    if (isCapitalised(t.text)) capitalised++;
  });
  return starts > 0 && capitalised / starts >= 0.5;
}

/** Runs of equally labelled tokens, cut where an entity must end and trimmed of what is not part of it. */
export function spansFromLabels(
  tokens: readonly Token[],
  text: string,
  labels: ReadonlyArray<{ type: RedactionType | undefined; margin: number }>,
): TokenSpan[] {
  const cased = isCasedText(tokens);
  const german = isGermanText(tokens);
  const raw: TokenSpan[] = [];
  let open: TokenSpan | undefined;
  labels.forEach(({ type, margin }, i) => {
    if (!type) {
      open = undefined;
      return;
    }
    if (open && open.type === type && !breaksBefore(tokens, text, i, type, cased)) {
      open.to = i;
      open.margin = Math.min(open.margin, margin);
      return;
    }
    open = { type, from: i, to: i, margin };
    raw.push(open);
  });
  return raw.flatMap((s) => trimEdges(tokens, s, cased, german) ?? []).filter((s) => s.type !== "ADDRESS" || addressLike(tokens, s, german));
}

const LEGAL_REFERENCE =
  /^(?:article|articles|art|artikel|articolo|artículo|section|sections|paragraph|paragraaf|alinéa|comma|apartado|chapter|kapitel|capitolo|capítulo|chapitre|hoofdstuk|recital|regulation|directive|codice|código|code|prozent|percent|pourcent|procent|percento|por|ciento|%)$/iu;

/** An address has a street word or a proper name in it, not only numbers and everyday words ("seit 3 Monaten", "May 1983"). */
function addressLike(tokens: readonly Token[], span: TokenSpan, german: boolean): boolean {
  const idx: number[] = [];
  for (let i = span.from; i <= span.to; i++) if (isWord(tokens[i]?.text ?? "")) idx.push(i);
  if (idx.length === 0) return true;
  const numbered = tokens.slice(span.from, span.to + 1).some((t) => /^\p{N}/u.test(t.text));
  // "Article 6", "2043 del Codice civile", "98 Prozent": a reference into a law or a measure, not a street.
  if (idx.some((i) => LEGAL_REFERENCE.test(tokens[i]?.text ?? ""))) return false;
  // One word alone must not be an everyday word of any language ("Ferragosto", "Ministerio"); in a longer span
  // only English's lists count, the others name too many companies and towns ("Apollo Hospitals").
  const single = idx.length === 1 && !numbered;
  const everyday = (w: string): boolean =>
    german
      ? (isEverydayWord(w) && !isGermanProperNoun(w)) || isGermanNounForm(w, true) || (NOUN_SUFFIX.test(w.toLowerCase()) && !isKnownPlace(w))
      : isEverydayEnglishWord(w) || (single && isEverydayWord(w));
  // After a postcode or a house number a capitalised word is a town or a street even when it is also a word
  // ("40126 Bologna", "8 place Bellecour"); before a number it must look like one ("Puruntie 82", not "Port 8080").
  const afterNumber = (i: number): boolean =>
    /^\p{N}/u.test(tokens[i - 1]?.text ?? "") || (tokens[i - 1]?.text === "," && /^\p{N}/u.test(tokens[i - 2]?.text ?? ""));
  const strong = (i: number): boolean => {
    const w = tokens[i]?.text ?? "";
    if (STREET_WORD.test(w) || PLACE_SUFFIX.test(w) || /^\p{Lu}{2,}$/u.test(w) || isKnownPlace(w)) return true;
    if (!isCapitalised(w) || isCalendarWord(w) || isPublicName(w) || isTitle(w)) return false;
    if (!everyday(w)) return true;
    return numbered && afterNumber(i) && !(german && isGermanNoun(w));
  };
  return idx.some(strong);
}
