import type { Detection, RedactionType } from "./detection.js";
import { commonness, wordClasses } from "./lexicon.js";
import { NER_MODEL_JSON } from "./ner-model.js";
import { tokenFeatures } from "./ner-features.js";
import { predict, type PerceptronModel } from "./perceptron.js";
import { tokenize, type Token } from "./tokenize.js";

/**
 * On-device names, addresses, organisations and places: a token tagger (averaged perceptron, trained by
 * `npm run bench:redact -- --train` and shipped in ner-model.ts) plus cues that need no training: honorifics,
 * house numbers before a street type, company suffixes, and every other mention of a name already found.
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

// One to three capitalised words; a dot only after an initial ("Faina D. Yefremova"), never the sentence's own.
const CAPITALISED_WORD = "\\p{Lu}(?:\\.|[\\p{L}\\p{M}'’-]+)";
const CAPITALISED_WORDS = `(${CAPITALISED_WORD}(?:[ \\t]+${CAPITALISED_WORD}){0,2})`;
const HONORIFIC = new RegExp(
  `\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Rev|Hon|Judge|Justice|Herr|Frau|Mme|Mlle|Sr|Sra)\\.?[ \\t]+${CAPITALISED_WORDS}`,
  "gu",
);
const STREET =
  /\b\d{1,5}[A-Za-z]?,?[ \t]+(?:\p{Lu}[\p{L}\p{M}'’-]*[ \t]+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|Way|Close|Crescent|Highway|Hwy|Parkway|Pkwy|Alley|Row|Gardens|Walk|Lodge)\b\.?/gu;
const UNIT = /\b(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|Box|PO Box|P\.O\. Box)\.?[ \t]*#?[ \t]*\d+[A-Za-z]?\b/giu;
const COMPANY =
  /\b(?:\p{Lu}[\p{L}\p{M}&'’-]*,?[ \t]+(?:(?:and|&|of)[ \t]+)?){1,4}(?:Inc|Ltd|LLC|LLP|GmbH|Corp|Corporation|Company|Co|Group|PLC|AG|SA|BV|NV|Holdings|Partners|Associates|Bank|University|Hospital|Clinic)\b\.?/gu;

/** "my name is ...", "maiden name: ...": what follows is a name even when it is also a word ("Key", "White"). */
const NAMED = new RegExp(
  `\\b(?:(?:first|last|middle|maiden|full|given|family|sur)? ?name(?: is|:| was)|named|called|signed|regards,|sincerely,)[ \\t]+${CAPITALISED_WORDS}`,
  "gu",
);
/** Form lines: "Address: 688 rue du centre 320" - the rest of the line, whatever its case. */
const ADDRESS_LINE = /\b(?:address|addr|home address|street address|mailing address|billing address)[ \t]*:[ \t]*([^\n]{3,100})/giu;

function ruleDetections(text: string): Detection[] {
  const out: Detection[] = [];
  const add = (re: RegExp, type: RedactionType, group?: number): void => {
    for (const m of text.matchAll(re)) {
      const value = group === undefined ? m[0] : m[group];
      if (!value) continue;
      const start = m.index + m[0].indexOf(value);
      out.push({ type, start, end: start + value.trimEnd().length });
    }
  };
  add(HONORIFIC, "PERSON", 1);
  add(NAMED, "PERSON", 1);
  add(ADDRESS_LINE, "ADDRESS", 1);
  add(STREET, "ADDRESS");
  add(UNIT, "ADDRESS");
  add(COMPANY, "ORG");
  return out;
}

/** Words that belong inside addresses and names although they are common ("Suite", "de", "van"). */
const ENTITY_WORDS = new Set(
  ("street st road rd avenue ave lane drive court place square way close apt apartment suite unit floor box " +
    "north south east west upper lower new old saint san santa de del della di da la le les van von der den ten " +
    "and of & ul al").split(" "),
);

/** Everyday lower-case words and function words end a tagged entity: "Admitted with ... pneumonia" is no address. */
function breaksEntity(word: string): boolean {
  const lower = word.toLowerCase();
  if (ENTITY_WORDS.has(lower) || !/^\p{L}+$/u.test(word)) return false;
  const rank = commonness(word);
  if (rank === 0 || rank > 2) return false;
  if (word === lower) return true;
  return wordClasses(word).some((c) => c === "FUNC" || c === "VERB");
}

/** A tagged address needs a word in it ("Puruntie 82", "Isaac Lodge"), not only codes and numbers ("eGFR 61"). */
function plausibleAddress(text: string, d: Detection): boolean {
  if (d.type !== "ADDRESS") return true;
  const value = text.slice(d.start, d.end);
  return /\p{Lu}\p{Ll}{2,}/u.test(value) || /^[\d\s-]+$/.test(value) || /\b(?:ul|st|rd|apt)\b/i.test(value);
}

/**
 * In text that capitalises its sentences, names are capitalised too: a tagged span in lower case there is far more
 * often a drug, a product or jargon ("started sertraline"). All-lower-case text (chat, forms) keeps them.
 */
function dropLowerCaseInCasedText(text: string, tokens: readonly Token[], spans: readonly Detection[]): Detection[] {
  let starts = 0;
  let capitalised = 0;
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (!/^\p{L}/u.test(t.text)) return;
    if (i === 0 || t.lineStart || (prev !== undefined && /^[.!?]$/.test(prev.text))) {
      starts++;
      if (/^\p{Lu}/u.test(t.text)) capitalised++;
    }
  });
  if (starts === 0 || capitalised / starts < 0.5) return [...spans];
  return spans.filter((d) => {
    const value = text.slice(d.start, d.end);
    if (value === value.toLowerCase()) return false;
    // A short acronym inside a sentence ("LDL", "ECG") is jargon; on a line of its own ("SK") it may be a region.
    if (/^\p{Lu}{2,5}$/u.test(value) && !wordClasses(value).some((c) => NAME_CLASSES.has(c))) {
      const line = text.slice(text.lastIndexOf("\n", d.start) + 1, text.indexOf("\n", d.end) === -1 ? text.length : text.indexOf("\n", d.end));
      if (/\p{Ll}{3,}/u.test(line)) return false;
    }
    return true;
  });
}

function taggedDetections(tokens: readonly Token[], labels: readonly string[], text: string): Detection[] {
  const out: Detection[] = [];
  let open: Detection | undefined;
  tokens.forEach((tok, i) => {
    const type = LABEL_TYPE[labels[i] ?? "O"];
    if (!type || breaksEntity(tok.text)) {
      open = undefined;
      return;
    }
    if (open && open.type === type && !text.slice(open.end, tok.start).includes("\n")) {
      open.end = tok.end;
      return;
    }
    open = { type, start: tok.start, end: tok.end };
    out.push(open);
  });
  return out;
}

const FUNCTION_CLASSES = new Set(["FUNC", "VERB", "ADJ", "TIME"]);

/** "founders: Ana Ruiz, Bowman and White": capitalised words listed alongside a name are names too. */
function listedWithNames(text: string, tokens: readonly Token[], found: readonly Detection[]): Detection[] {
  const out: Detection[] = [];
  const isPerson = (t: Token | undefined): boolean =>
    t !== undefined && [...found, ...out].some((d) => d.type === "PERSON" && d.start <= t.start && d.end >= t.end);
  const candidate = (t: Token | undefined): t is Token =>
    t !== undefined && /^\p{Lu}\p{Ll}+$/u.test(t.text) && !wordClasses(t.text).some((c) => FUNCTION_CLASSES.has(c));
  const joiner = (i: number, j: number): boolean => {
    const a = tokens[i];
    const b = tokens[j];
    if (a === undefined || b === undefined) return false;
    return /^(?:,|,? ?and|,? ?or|,? ?&)$/.test(text.slice(a.end, b.start).replace(/\s+/g, " ").trim());
  };
  for (let pass = 0; pass < 2; pass++) {
    tokens.forEach((t, i) => {
      if (!candidate(t) || isPerson(t)) return;
      const prevName = isPerson(tokens[i - 1]) || (tokens[i - 1]?.text === "," && isPerson(tokens[i - 2]));
      const nextName = isPerson(tokens[i + 1]) || (tokens[i + 1]?.text === "," && isPerson(tokens[i + 2]));
      if ((prevName && joiner(tokens[i - 1]?.text === "," ? i - 2 : i - 1, i)) || (nextName && joiner(i, tokens[i + 1]?.text === "," ? i + 2 : i + 1))) {
        out.push({ type: "PERSON", start: t.start, end: t.end });
      }
    });
  }
  return out;
}

/** "Faina D. Yefremova" found once means a later bare "Yefremova" is the same person. */
function otherMentions(text: string, tokens: readonly Token[], found: readonly Detection[]): Detection[] {
  const known = new Map<string, RedactionType>();
  for (const d of found) {
    if (d.type !== "PERSON" && d.type !== "ORG") continue;
    for (const part of text.slice(d.start, d.end).split(/[\s,]+/)) {
      if (part.length < 3 || !/^\p{Lu}/u.test(part)) continue;
      if (wordClasses(part).some((c) => FUNCTION_CLASSES.has(c))) continue;
      known.set(part, d.type);
    }
  }
  const out: Detection[] = [];
  if (known.size === 0) return out;
  for (const tok of tokens) {
    const type = known.get(tok.text);
    if (type) out.push({ type, start: tok.start, end: tok.end });
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
  const labels = model.labels.length > 0 ? predict(model, tokenFeatures(tokens)) : [];
  const fromTagger = dropLowerCaseInCasedText(
    text,
    tokens,
    taggedDetections(tokens, labels, text).filter((d) => plausibleAddress(text, d)),
  );
  const tagged = [...dropCommonWords(text, dropLoneNumbers(text, fromTagger)), ...ruleDetections(text)];
  const found = [...tagged, ...listedWithNames(text, tokens, tagged)];
  return [...found, ...otherMentions(text, tokens, found)];
}
