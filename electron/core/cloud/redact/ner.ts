import { trimSpan, type Detection, type RedactionType } from "./detection.js";
import { commonness, wordClasses } from "./lexicon.js";
import { NER_MODEL_JSON } from "./ner-model.js";
import { tokenFeatures } from "./ner-features.js";
import { isTitle, ruleDetections } from "./ner-rules.js";
import {
  isCasedText,
  isGermanText,
  isTermOrPublicName,
  plausibleInGerman,
  isStreetOrPlaceWord,
  sentenceStart,
  spansFromLabels,
  type TokenSpan,
} from "./ner-spans.js";
import { predictScored, type PerceptronModel } from "./perceptron.js";
import { inPublicCase, publicCaseRanges } from "./public-cases.js";
import { isPublicName } from "./terms.js";
import { tokenize, type Token } from "./tokenize.js";
import {
  foreignRank,
  isCalendarWord,
  isCommonWordAtAll,
  isEverydayWord,
  isGermanNounForm,
  isGermanProperNoun,
  isKnownName,
  isKnownPlace,
} from "./word-lists.js";

/**
 * On-device names, addresses, organisations and places: a token tagger (averaged perceptron, trained by
 * `npm run bench:redact -- --train` and shipped in ner-model.ts) plus cues that need no training (ner-rules.ts:
 * titles, house numbers before a street type, company suffixes) and every other mention of a name already found.
 * Each detection has `source: "ner"` and a `confidence` from the tagger's margin or the cue's reliability, so Auto
 * mode can ask where the tagger is unsure. Eponyms in terms and public bodies are left alone (ner-spans.ts, terms.ts).
 */

const LABEL_TYPE: Record<string, RedactionType> = {
  PERSON: "PERSON",
  ADDRESS: "ADDRESS",
  ORG: "ORG",
  LOCATION: "LOCATION",
};

let shipped: PerceptronModel | undefined;
export function shippedModel(): PerceptronModel {
  shipped ??= JSON.parse(NER_MODEL_JSON) as PerceptronModel;
  return shipped;
}

/**
 * The tagger's margin (winning score minus the runner-up's, smallest over the span's tokens) as a probability of
 * being right, calibrated on cross-validation folds of the training part: see MARGIN_MIDPOINT.
 */
export function marginConfidence(margin: number): number {
  const p = 1 / (1 + Math.exp(-(margin - MARGIN_MIDPOINT) / MARGIN_SCALE));
  return Math.round(Math.min(0.97, Math.max(0.05, p)) * 100) / 100;
}
const MARGIN_MIDPOINT = 1;
const MARGIN_SCALE = 2;
const LONE_START_CONFIDENCE = 0.5;
/** "Miller Ltd" found does not make every "Ltd" or "GmbH" in the text part of a company. */
const COMPANY_SUFFIX_WORD = /^(?:Inc|Ltd|LLC|LLP|PLC|Corp|Co|GmbH|AG|KG|SARL|SAS|SA|BV|NV|SpA|Srl|SL)\.?$/;
/** A capitalised word only listed beside a name ("Bowman and White") is a guess. */
const LISTED_CONFIDENCE = 0.7;

/**
 * A tagged address needs a word in it ("Puruntie 82", "Isaac Lodge"), not only codes and numbers ("eGFR 61"); with
 * no number at all it must name a street or a place by its kind ("Marchmont Road", "Via Roma"): a lone capitalised
 * word ("Schimmel", "Archiv") or a product ("BTP Italia") is not where anyone lives.
 */
/** Capitalised German nouns and their forms only ("Archiv", "Logdateien"), none of them a name or a place. */
function onlyGermanNouns(value: string): boolean {
  return value.split(/[\s,]+/u).every(
    (w) => !isKnownName(w) && !isKnownPlace(w) && !isGermanProperNoun(w) && (foreignRank(w) !== undefined || isGermanNounForm(w)),
  );
}

function plausibleAddress(text: string, d: Detection, german: boolean): boolean {
  if (d.type !== "ADDRESS") return true;
  const value = text.slice(d.start, d.end);
  if (german && !/\p{N}/u.test(value) && !value.split(/[\s,]+/u).some((w) => isStreetOrPlaceWord(w) || isKnownPlace(w)) && onlyGermanNouns(value)) return false;
  return /\p{Lu}\p{Ll}{2,}/u.test(value) || /^[\d\s-]+$/.test(value) || /\b(?:ul|st|rd|apt)\b/i.test(value);
}

/**
 * In text that capitalises its sentences, names are capitalised too: a tagged span in lower case there is far more
 * often a drug, a product or jargon ("started sertraline"); a short acronym inside a sentence ("LDL", "ECG") is
 * jargon, though on a line of its own ("SK") it may be a region. All-lower-case text (chat, forms) keeps them.
 */
function dropJargonInCasedText(text: string, tokens: readonly Token[], spans: readonly Detection[]): Detection[] {
  if (!isCasedText(tokens)) return [...spans];
  return spans.filter((d) => {
    const value = text.slice(d.start, d.end);
    if (value === value.toLowerCase()) return false;
    // "FTSE MIB", "MSCI World", "TOP 1 Begrüßung": a span led by an acronym is an index, a standard or an item.
    // (A house or box number has three digits or more: "PSC 4115, Box 7815" stays an address.)
    if (/^\p{Lu}{2,5}(?:[ \t]+\S+)*$/u.test(value) && value.includes(" ") && !/\p{N}{3}/u.test(value) && !value.split(/\s+/u).some((w) => isStreetOrPlaceWord(w))) {
      const first = value.split(/\s+/u)[0] ?? "";
      if (!wordClasses(first).some((c) => NAME_CLASSES.has(c)) && (d.type === "ADDRESS" || /^[\p{Lu}\s]+$/u.test(value))) return false;
    }
    if (/^\p{Lu}{2,5}$/u.test(value) && !wordClasses(value).some((c) => NAME_CLASSES.has(c))) {
      const lineEnd = text.indexOf("\n", d.end);
      const line = text.slice(text.lastIndexOf("\n", d.start) + 1, lineEnd === -1 ? text.length : lineEnd);
      if (/\p{Ll}{3,}/u.test(line)) return false;
    }
    return true;
  });
}

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
  if (!words.slice(1).some((t) => /^\p{Lu}/u.test(t.text) && little(t.text) && !isKnownName(t.text))) return false;
  // A very frequent word that some name list also holds ("Vanno") is still the word, unless English lists a given name.
  const everyday = (w: string): boolean =>
    listedWord(w) || ((foreignRank(w) ?? Infinity) < TITLE_CASE_COMMON_RANK && !wordClasses(w).some((c) => c === "FIRST" || c === "LAST"));
  return tokens.slice(s.from, s.to + 1).filter((t) => /^\p{L}/u.test(t.text)).every((t) => everyday(t.text));
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

const ENGLISH_FUNCTION_WORDS = new Set("the a an and or of to in on for with is are was be it this that what how why can you please".split(" "));
/** Whether most of the text's function words are English (the tagger's own language). */
function isEnglishText(tokens: readonly Token[]): boolean {
  let english = 0;
  let words = 0;
  for (const t of tokens) {
    if (!/^\p{L}+$/u.test(t.text)) continue;
    words++;
    if (ENGLISH_FUNCTION_WORDS.has(t.text.toLowerCase())) english++;
  }
  return words === 0 || english / words >= 0.12;
}

function taggedDetections(text: string, tokens: readonly Token[], model: PerceptronModel): Detection[] {
  if (model.labels.length === 0) return [];
  const scored = predictScored(model, tokenFeatures(tokens)).map((s) => ({ type: LABEL_TYPE[s.label], margin: s.margin }));
  const german = isGermanText(tokens);
  const spans = spansFromLabels(tokens, text, scored).filter((s) => {
    if (german && !plausibleInGerman(tokens, s)) return false;
    const start = tokens[s.from]?.start ?? 0;
    const end = tokens[s.to]?.end ?? 0;
    return !isTermOrPublicName(tokens, s.from, s.to, text.slice(start, end));
  });
  const english = isEnglishText(tokens);
  return spans.filter((s) => {
    const start = tokens[s.from]?.start ?? 0;
    const end = tokens[s.to]?.end ?? 0;
    const value = text.slice(start, end);
    const lineEnd = text.indexOf("\n", end);
    if (isCapsHeading(value, text.slice(text.lastIndexOf("\n", start) + 1, lineEnd === -1 ? text.length : lineEnd))) return false;
    if (!german && titleCaseWords(tokens, s, text)) return false;
    if (lineLabel(tokens, s, text)) return false;
    // After an article a capitalised word is a language, a product or a body, not a person: "naar het Engels".
    const before = (tokens[s.from - 1]?.text ?? "").toLowerCase();
    // Only words some language lists: "in het Diakonessenhuis" is a hospital's own name and stays hidden.
    const listed = (w: string): boolean => /^\p{Lu}{2,5}$/u.test(w) || foreignRank(w) !== undefined || commonness(w) > 0;
    if (!german && s.type !== "ORG" && s.type !== "LOCATION" && NON_NAME_ARTICLES.has(before) && !/\p{N}/u.test(value) && value.split(/[\s-]+/u).every(listed)) return false;
    // Outside English a lone word no name list knows, opening a sentence before a lower-case word, is a verb or an
    // adverb of the request ("Riassumi cosa ...", "Bijgaand vindt u ...", "Adjunto encontrarán ..."), not a name.
    // The next word must be on the same line: a town on an address line ("Tujetsch", then "nan") is no request.
    const next = tokens[s.to + 1];
    const word = tokens[s.from]?.text ?? "";
    const sameLine = next !== undefined && !text.slice(end, next.start).includes("\n");
    return !(s.from === s.to && !english && sentenceStart(tokens, s.from) && sameLine && /^\p{Ll}/u.test(next.text) && /^\p{Lu}\p{Ll}/u.test(word) && !isKnownName(word) && !isKnownPlace(word));
  }).map((s: TokenSpan) => {
    // One unknown word opening a sentence ("Riassumi ...", "Quionia is from ...") is as often a verb as a name.
    const lone = s.from === s.to && sentenceStart(tokens, s.from) && !isKnownName(tokens[s.from]?.text ?? "");
    const confidence = marginConfidence(s.margin);
    return {
      type: s.type,
      start: tokens[s.from]?.start ?? 0,
      end: tokens[s.to]?.end ?? 0,
      confidence: lone ? Math.min(confidence, LONE_START_CONFIDENCE) : confidence,
      source: "ner",
    };
  });
}

/**
 * The parts of a tagged span that no cue of another type claims: "Dr. Miriam Rosenthal, Uhlandstraße 8" tagged as
 * one address keeps "Uhlandstraße 8" once the title cue has the name.
 */
function outsideOf(text: string, d: Detection, rules: readonly Detection[]): Detection[] {
  let pieces: Array<[number, number]> = [[d.start, d.end]];
  for (const r of rules) {
    if (r.type === d.type) continue;
    pieces = pieces.flatMap(([s, e]): Array<[number, number]> =>
      r.end <= s || r.start >= e ? [[s, e]] : [[s, r.start], [r.end, e]].filter(([a, b]) => (a ?? 0) < (b ?? 0)) as Array<[number, number]>,
    );
  }
  return pieces.flatMap(([s, e]) => {
    const trimmed = trimSpan(text, s, e);
    if (!trimmed || !/[\p{L}\p{N}]{2,}/u.test(text.slice(trimmed[0], trimmed[1]))) return [];
    return [{ ...d, start: trimmed[0], end: trimmed[1] }];
  });
}

const FUNCTION_CLASSES = new Set(["FUNC", "VERB", "ADJ", "TIME"]);

/** "founders: Ana Ruiz, Bowman and White": capitalised words listed alongside a name are names too. */
function listedWithNames(text: string, tokens: readonly Token[], found: readonly Detection[]): Detection[] {
  const out: Detection[] = [];
  const german = isGermanText(tokens);
  const isPerson = (t: Token | undefined): boolean =>
    t !== undefined && [...found, ...out].some((d) => d.type === "PERSON" && d.start <= t.start && d.end >= t.end);
  const candidate = (t: Token | undefined, i: number): t is Token =>
    t !== undefined &&
    /^\p{Lu}\p{Ll}+$/u.test(t.text) &&
    !isTitle(t.text) &&
    // "Lakshmi Iyer, Aadhaar 3772 ...", "Kevin Schäfer, Tatzeit ...": a label after a name is not another name.
    !/^\p{N}/u.test(tokens[i + 1]?.text ?? "") &&
    !isPublicName(t.text) &&
    !(german && !isKnownName(t.text)) &&
    !wordClasses(t.text).some((c) => FUNCTION_CLASSES.has(c));
  const joiner = (i: number, j: number): boolean => {
    const a = tokens[i];
    const b = tokens[j];
    if (a === undefined || b === undefined) return false;
    return /^(?:,|,? ?and|,? ?or|,? ?&)$/.test(text.slice(a.end, b.start).replace(/\s+/g, " ").trim());
  };
  for (let pass = 0; pass < 2; pass++) {
    tokens.forEach((t, i) => {
      if (!candidate(t, i) || isPerson(t)) return;
      const prevName = isPerson(tokens[i - 1]) || (tokens[i - 1]?.text === "," && isPerson(tokens[i - 2]));
      const nextName = isPerson(tokens[i + 1]) || (tokens[i + 1]?.text === "," && isPerson(tokens[i + 2]));
      if ((prevName && joiner(tokens[i - 1]?.text === "," ? i - 2 : i - 1, i)) || (nextName && joiner(i, tokens[i + 1]?.text === "," ? i + 2 : i + 1))) {
        out.push({ type: "PERSON", start: t.start, end: t.end, confidence: LISTED_CONFIDENCE, source: "ner" });
      }
    });
  }
  return out;
}

/** "Faina D. Yefremova" found once means a later bare "Yefremova" is the same person. */
function otherMentions(text: string, tokens: readonly Token[], found: readonly Detection[]): Detection[] {
  const known = new Map<string, { type: RedactionType; confidence: number | undefined }>();
  for (const d of found) {
    if (d.type !== "PERSON" && d.type !== "ORG") continue;
    for (const part of text.slice(d.start, d.end).split(/[\s,]+/)) {
      if (part.length < 3 || !/^\p{Lu}/u.test(part)) continue;
      if (wordClasses(part).some((c) => FUNCTION_CLASSES.has(c))) continue;
      // "Katrin Sommer" found does not make every "Sommer" in the text a name.
      if (isCommonWordAtAll(part) || COMPANY_SUFFIX_WORD.test(part)) continue;
      known.set(part, { type: d.type, confidence: d.confidence });
    }
  }
  const out: Detection[] = [];
  if (known.size === 0) return out;
  for (const tok of tokens) {
    const k = known.get(tok.text);
    if (k) out.push({ type: k.type, start: tok.start, end: tok.end, confidence: k.confidence, source: "ner" });
  }
  return out;
}

/**
 * A bare number the tagger called part of an address is kept only beside a worded part of one ("Estonia 62488",
 * a ZIP line under a city line); alone it is far more often an amount or a count.
 */
function dropLoneNumbers(text: string, spans: readonly Detection[]): Detection[] {
  const worded = (d: Detection | undefined): boolean => d !== undefined && /\p{L}/u.test(text.slice(d.start, d.end));
  const touches = (a: Detection, b: Detection | undefined): boolean =>
    b !== undefined && /^[\s,.-]*$/.test(text.slice(Math.min(a.end, b.end), Math.max(a.start, b.start)));
  return spans.filter((d, i) => {
    if (worded(d)) return true;
    const before = spans[i - 1];
    const after = spans[i + 1];
    return (worded(before) && touches(d, before)) || (worded(after) && touches(d, after));
  });
}

const NAME_CLASSES = new Set(["FIRST", "LAST", "PLACE", "COUNTRY", "ORG"]);

/**
 * The tagger alone does not get to remove one everyday word ("Revenue grew...", "Also, ..."): a single-word
 * entity must be a known name or a word outside the common English lists. Honorifics and other cues still can.
 */
function dropCommonWords(text: string, spans: readonly Detection[]): Detection[] {
  return spans.filter((d) => {
    const value = text.slice(d.start, d.end);
    if (!/^\p{L}+$/u.test(value)) return true;
    const classes = wordClasses(value);
    if (classes.includes("TIME")) return false; // weekdays and months
    const rank = commonness(value);
    if (rank === 0 || rank > COMMON_RANK) return true;
    return classes.some((c) => NAME_CLASSES.has(c));
  });
}
const COMMON_RANK = 1;

export function detectEntities(text: string, model: PerceptronModel = shippedModel()): Detection[] {
  const tokens = tokenize(text);
  const fromTagger = dropJargonInCasedText(
    text,
    tokens,
    taggedDetections(text, tokens, model).filter((d) => plausibleAddress(text, d, isGermanText(tokens))),
  );
  const rules = ruleDetections(text).filter((d) => !isPublicName(text.slice(d.start, d.end)));
  // A cue's label beats the tagger's guess for the same words: "Acme Corp" is an ORG, whatever the tagger said.
  const tagged = dropCommonWords(text, dropLoneNumbers(text, fromTagger)).flatMap((d) => outsideOf(text, d, rules));
  const found = [...tagged, ...rules];
  const all = [...found, ...listedWithNames(text, tokens, found)];
  const seen = new Set<string>();
  const publicCases = publicCaseRanges(text);
  return [...all, ...otherMentions(text, tokens, all)].filter((d) => {
    if (inPublicCase(publicCases, d.start, d.end)) return false;
    const key = `${d.type}:${d.start}:${d.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
