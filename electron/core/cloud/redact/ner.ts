import { trimSpan, type Detection, type RedactionType } from "./detection.js";
import { commonness, wordClasses } from "./lexicon.js";
import { NER_MODEL_JSON } from "./ner-model.js";
import { tokenFeatures } from "./ner-features.js";
import { isTitle, ruleDetections } from "./ner-rules.js";
import {
  isCasedText,
  isGermanText,
  plausibleInGerman,
  isStreetOrPlaceWord,
  sentenceStart,
  spansFromLabels,
  type TokenSpan,
} from "./ner-spans.js";
import { explainedByLayout, isEnglishText } from "./ner-layout.js";
import { headingItemRanges, insideRanges } from "./heading-lists.js";
import { predictScored, type PerceptronModel } from "./perceptron.js";
import { inPublicCase, publicCaseRanges } from "./public-cases.js";
import { isTermOrPublicName } from "./term-spans.js";
import { isPublicName } from "./terms.js";
import { tokenize, type Token } from "./tokenize.js";
import {
  foreignRank,
  isCommonWordAtAll,
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

/** Capitalised German nouns and their forms only ("Archiv", "Logdateien"), none of them a name or a place. */
function onlyGermanNouns(value: string): boolean {
  return value.split(/[\s,]+/u).every(
    (w) => !isKnownName(w) && !isKnownPlace(w) && !isGermanProperNoun(w) && (foreignRank(w) !== undefined || isGermanNounForm(w)),
  );
}

/**
 * A tagged address needs a word in it ("Puruntie 82", "Isaac Lodge"), not only codes and numbers ("eGFR 61"); in
 * German text, one without a number that is only nouns ("Archiv", "Logdateien") is not where anyone lives.
 */
function plausibleAddress(text: string, d: Detection, german: boolean): boolean {
  if (d.type !== "ADDRESS") return true;
  const value = text.slice(d.start, d.end);
  // "le salaire médian en France": a country alone is no one's address (and the README does not label countries).
  if (/^\p{Lu}\p{Ll}+$/u.test(value) && wordClasses(value).includes("COUNTRY")) return false;
  // "Schuldrechtsreform 2002", "Reform 1998": a word and a year name an event, not a street and its house number.
  const yearAfter = /^(\p{Lu}[\p{L}-]+)[ \u00a0]+(?:19|20)\d{2}$/u.exec(value);
  if (yearAfter && !isStreetOrPlaceWord(yearAfter[1] ?? "") && !isKnownPlace(yearAfter[1] ?? "")) return false;
  if (german && !/\p{N}/u.test(value) && !value.split(/[\s,]+/u).some((w) => isStreetOrPlaceWord(w) || isKnownPlace(w)) && onlyGermanNouns(value)) return false;
  // In German text an address without a number, a street word or a known name or place is a run of nouns
  // ("Reisekostenrichtlinie, Anträge", "NYHA-Klassen, Ejektionsfraktion"): German capitalises them all. One short
  // word no list has ("Charkiw") may still be a town.
  const words = value.split(/[\s,/]+/u).filter(Boolean);
  const nameLike = (w: string): boolean =>
    isStreetOrPlaceWord(w) || isKnownPlace(w) || isKnownName(w) || (words.length === 1 && /^\p{Lu}\p{Ll}{2,7}$/u.test(w) && foreignRank(w) === undefined && !isGermanNounForm(w));
  if (german && !/\p{N}/u.test(value) && !words.some(nameLike)) return false;
  return /\p{Lu}\p{Ll}{2,}/u.test(value) || /^[\d\s-]+$/.test(value) || /\b(?:ul|st|rd|apt)\b/i.test(value);
}

// Continents in the six languages: a continent alone names no one's whereabouts. (Countries stay: the
// Presidio-derived set labels them, though Hearth's own set does not.)
const CONTINENT = new Set(
  "europe europa afrika africa afrique asia asie azië asien amerika america amérique américa oceania océanie oceanië ozeanien antarctica antarctique antarktis antartide antártida".split(" "),
);

function continent(value: string): boolean {
  return CONTINENT.has(value.toLowerCase());
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
  return spans.filter((s) => !explainedByLayout(text, tokens, s, { german, english })).map((s: TokenSpan) => {
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
    taggedDetections(text, tokens, model).filter(
      (d) => plausibleAddress(text, d, isGermanText(tokens)) && !(d.type === "LOCATION" && continent(text.slice(d.start, d.end))),
    ),
  );
  const rules = ruleDetections(text).filter((d) => !isPublicName(text.slice(d.start, d.end)));
  // A cue's label beats the tagger's guess for the same words: "Acme Corp" is an ORG, whatever the tagger said.
  const tagged = dropCommonWords(text, dropLoneNumbers(text, fromTagger)).flatMap((d) => outsideOf(text, d, rules));
  const found = [...tagged, ...rules];
  const all = [...found, ...listedWithNames(text, tokens, found)];
  const seen = new Set<string>();
  const publicCases = publicCaseRanges(text);
  const headings = headingItemRanges(text);
  return [...all, ...otherMentions(text, tokens, all)].filter((d) => {
    if (inPublicCase(publicCases, d.start, d.end)) return false;
    // "Télétravail, Restauration collective, Mutuelle": headings in a list, capitalised as headings are.
    if (d.confidence !== undefined && insideRanges(headings, d.start, d.end)) return false;
    const key = `${d.type}:${d.start}:${d.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
