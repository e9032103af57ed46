import type { Detection } from "./detection.js";
import { wordClasses } from "./lexicon.js";
import { isTitle } from "./ner-rules.js";
import { byCue, byOwnedNoun } from "./organisation-cues.js";
import {
  atSentenceStart,
  CONJUNCTIONS,
  formEnd,
  isCap,
  isForm,
  isFunc,
  joined,
  nameAfter,
  nameStart,
  properWord,
  span,
  tokens,
  type Tok,
} from "./organisation-names.js";
import { FORM_CONTINUATIONS, NAME_LINKS, ORG_HEAD_PAIRS, ORG_HEADS, ORG_TAIL_PAIRS, ORG_TAILS, SHORT_FORMS } from "./organisation-words.js";
import { publicBodyRanges } from "./public-bodies.js";
import { inPublicCase, publicCaseRanges } from "./public-cases.js";
import { isEponym, isPublicName, isTermNoun } from "./terms.js";
import { isCalendarWord, isEverydayEnglishWord, isEverydayWord, isGermanNoun, isKnownName, isKnownPlace } from "./word-lists.js";

/**
 * Organisations found by what names them as one, in six languages, without the tagger: a legal form after the name
 * ("Cascade Freight Inc.", "Alpenland Bau GmbH", "Reformas Ebro S.L."), a noun for a firm or an institution
 * after or before it ("Abt Associates", "CHU de Nantes", "Policlinico San Matteo"), partners' names
 * ("Henderson, Hicks and Brown LLP", "Martin & Fils"), or a phrase that says someone works there ("I work for
 * Chemical Abstracts Service", "travaille chez Dupuis Frères"). The span is the whole name and nothing after it,
 * so the placeholder does not leave half a company behind. Public bodies ("Bank of England", "NHS") are kept.
 */

/** "Cascade Freight Inc.", "Alpenland Bau GmbH & Co. KG": a legal form after a name. */
function byLegalForm(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    if (!isForm(t) || (i > 0 && isForm(toks[i - 1] as Tok))) return;
    const { first, words } = nameStart(text, toks, i);
    if (first < 0) return;
    // "AG", "SA", "NV" are also courts, countries and initials: after one everyday word they are not a form.
    if (SHORT_FORMS.has(t.word) && words.length === 1 && !properWord(words[0] ?? "")) return;
    let last = i;
    for (let j = i + 1; j < toks.length; j++) {
      const n = toks[j] as Tok;
      if (!joined(text, toks[j - 1], n)) break;
      if (isForm(n) || FORM_CONTINUATIONS.has(n.word) || FORM_CONTINUATIONS.has(n.word + ".")) last = j;
      else if (n.word !== "&" && n.word !== ",") break;
    }
    const end = toks[last] as Tok;
    const d = span(text, (toks[first] as Tok).start, formEnd(end), SHORT_FORMS.has(t.word) ? 0.75 : 0.9);
    if (d) out.push(d);
  });
  return out;
}

/** Legal forms as hurried messages write them: "pls write to kestrel homes ltd", "cancel with smith gmbh". */
const LOWER_FORMS = new Set(["inc", "ltd", "llc", "llp", "plc", "gmbh", "sarl", "s.a.r.l", "srl", "s.r.l", "b.v", "n.v", "s.l", "s.a", "corp"]);

function byLowerCaseForm(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    if (!LOWER_FORMS.has(t.word) || !/^\p{Ll}/u.test(t.word)) return;
    const plain = (w: string): boolean => /^\p{L}[\p{L}'’-]*$/u.test(w) && !wordClasses(w).some((c) => c === "FUNC" || c === "VERB");
    let first = -1;
    for (let j = i - 1; j >= 0 && i - j <= 4; j--) {
      const w = (toks[j] as Tok).word;
      if (!joined(text, toks[j], toks[j + 1]) || !plain(w) || isCalendarWord(w)) break;
      // The word right before the form is the name's; further back only names and rare words are.
      if (first !== -1 && isEverydayEnglishWord(w) && !isKnownName(w)) break;
      first = j;
    }
    if (first < 0) return;
    const end = t.endDot > t.end ? t.endDot : t.end;
    const d = span(text, (toks[first] as Tok).start, end, 0.7);
    if (d) out.push(d);
  });
  return out;
}

/** "Abt Associates", "St Mary's Hospital", "Elms & Daughters Funeral Directors", "Martin & Fils". */
function byTailNoun(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    const next = toks[i + 1];
    const pair = next && joined(text, t, next) ? `${t.word} ${next.word}`.toLowerCase() : "";
    const isPair = ORG_TAIL_PAIRS.has(pair) && (t.word === "&" || isCap(t.word) || NAME_LINKS.has(t.word)) && isCap(next?.word ?? "");
    if (!isPair && !(isCap(t.word) && ORG_TAILS.has(t.word.toLowerCase()))) return;
    const found = nameStart(text, toks, i);
    const { words, linked } = found;
    let first = found.first;
    if (first < 0) return;
    // "General Hospital", "Market Research": the name must hold a name, or be a run of capitals mid-sentence.
    // Mid-sentence, a capital that is no English word is a name ("at Apollo Hospitals"); German nouns are checked by properWord.
    const proper = words.some(properWord) || (!atSentenceStart(text, toks[first] as Tok) && words.some((w) => !isEverydayEnglishWord(w) && !isFunc(w)));
    const titled = words.length >= 2 && !atSentenceStart(text, toks[first] as Tok);
    // "referral to The Beeches Surgery": a capital "The" mid-sentence opens the name.
    const prev = toks[first - 1];
    const the = prev?.word === "The" && joined(text, prev, toks[first]) && !atSentenceStart(text, prev);
    // "Overture Technologies" alone on a line of a signature or an address block: the line is the firm's name,
    // from its first capitalised word ("• Red Kite Movers", where "Red" alone would read as the sentence's word).
    const lineFirst = firstOnLine(text, toks, first);
    const ownLine = lineFirst >= 0 && lineFirst < i && onItsOwnLine(text, (toks[lineFirst] as Tok).start, formEnd(t));
    if (ownLine) first = Math.min(first, lineFirst);
    if (!proper && !titled && !linked && !isPair && !the && !ownLine) return;
    if (words.every((w) => isEponym(w))) return;
    if (the) first--;
    let last = isPair ? i + 1 : i;
    // "Hartwell Marine Ltd", "Abt Associates LLP": a legal form after the tail is part of the name.
    if (toks[last + 1] && isForm(toks[last + 1] as Tok) && joined(text, toks[last], toks[last + 1])) last++;
    // "Apollo Hospitals Chennai": the branch's town right after the kind belongs to the name.
    else if (toks[last + 1] && joined(text, toks[last], toks[last + 1]) && isCap(toks[last + 1]!.word) && isKnownPlace(toks[last + 1]!.word)) last++;
    const d = span(text, (toks[first] as Tok).start, formEnd(toks[last] as Tok), proper ? 0.85 : 0.7);
    if (d) out.push(d);
  });
  return out;
}

/** The index of the first token on the line of toks[i] when every token from it to toks[i] is capitalised, or -1. */
function firstOnLine(text: string, toks: readonly Tok[], i: number): number {
  if (i < 0) return -1;
  let j = i;
  while (j > 0 && !text.slice(toks[j - 1]!.end, toks[j]!.start).includes("\n") && isCap(toks[j - 1]!.word)) j--;
  return j > 0 && !text.slice(toks[j - 1]!.end, toks[j]!.start).includes("\n") ? -1 : j;
}

/** Whether [start, end) is all a line holds (but spaces and a trailing comma), in a text of several lines. */
function onItsOwnLine(text: string, start: number, end: number): boolean {
  if (!text.includes("\n")) return false;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = text.indexOf("\n", end);
  return /^[\s\p{P}\p{S}]*$/u.test(text.slice(lineStart, start)) && /^[\s,.]*$/u.test(text.slice(end, lineEnd === -1 ? text.length : lineEnd));
}

const COMPOUND_HEAD =
  /^(?!Rathaus|Landhaus|Bundeshaus|Parlamentshaus)\p{Lu}\p{Ll}+(?:klinik|klinikum|krankenhaus|spital|praxis|ziekenhuis|apotheke|apotheek|haus|markt|handel|werkstatt|betrieb|bedrijf|winkel|praktijk)$/u;

const GERMAN_TRADE = /^(?:Autohaus|Bäckerei|Metzgerei|Hotel|Gasthaus|Gasthof|Apotheke|Stadtwerke)$|\p{Ll}(?:haus|markt|handel|werkstatt|betrieb)$/u;

/** "CHU de Nantes", "Hospital Universitario La Paz", "Kreisklinik Ebersberg", "Bar Restaurante El Faro". */
function byHeadNoun(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    // Heads of one to three words: "Hospital", "Studio legale", "Casa di cura".
    let size = 0;
    for (let k = 3; k >= 2 && size === 0 && isCap(t.word); k--) {
      const run = toks.slice(i, i + k);
      if (run.length === k && run.every((x, n) => n === 0 || joined(text, run[n - 1], x)) && ORG_HEAD_PAIRS.has(run.map((x) => x.word).join(" ").toLowerCase())) size = k;
    }
    if (size === 0 && (ORG_HEADS.has(t.word) || COMPOUND_HEAD.test(t.word))) size = 1;
    if (size === 0) return;
    const from = i + size;
    if (!joined(text, toks[from - 1], toks[from])) return;
    const { last, words, article } = nameAfter(text, toks, from);
    if (last < 0) return;
    // "in der Praxis Patienten betreuen": after the kind must come a name, not a noun; after a German shop or
    // trade ("in der Bäckerei Brötchen kaufen") not even a rarer noun.
    if (!article && !words.some(properWord)) return;
    const nameLike = (w: string): boolean => isKnownName(w) || isKnownPlace(w) || (properWord(w) && !isGermanNoun(w));
    if (!article && GERMAN_TRADE.test(t.word) && !words.some(nameLike)) return;
    const d = span(text, t.start, formEnd(toks[last] as Tok), 0.8);
    if (d) out.push(d);
  });
  return out;
}

/**
 * "Henderson, Hicks and Brown": three surnames in a row are a firm's name (people are named with given names).
 * A year in brackets after them makes them the authors of a cited work instead.
 */
function byPartnerList(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    if (!CONJUNCTIONS.has(t.word) || t.word === "&") return;
    const right = toks[i + 1];
    if (!right || !isCap(right.word) || !joined(text, t, right)) return;
    const { first, words } = nameStart(text, toks, i + 2);
    if (first < 0 || words.length < 3 || toks.slice(first, i + 2).filter((x) => x.word === ",").length < 1) return;
    const surname = (w: string): boolean =>
      isKnownName(w) && !isEponym(w) && !isCalendarWord(w) && !wordClasses(w).some((c) => c === "PLACE" || c === "COUNTRY") &&
      !(wordClasses(w).includes("FIRST") && !wordClasses(w).includes("LAST"));
    // "Hollins, Frame and Dacre": surnames may be words too, so two names in three are enough; "Marketing, Sales
    // and Finance" (departments) or "Paris, Lyon and Nice" (places) have none.
    const placeOrTerm = (w: string): boolean =>
      isEponym(w) || isCalendarWord(w) || isPublicName(w) || /^\p{Lu}{2,}$/u.test(w) || wordClasses(w).some((c) => c === "PLACE" || c === "COUNTRY");
    if (words.some(placeOrTerm)) return;
    const named = words.filter((w) => surname(w) || (!isKnownName(w) && !isEverydayEnglishWord(w) && properWord(w))).length;
    if (named < words.length - 1) return;
    if (/^\s*\(\s*\d{4}/.test(text.slice(right.endDot))) return;
    const d = span(text, (toks[first] as Tok).start, right.end, 0.7);
    if (d) out.push(d);
  });
  return out;
}

/**
 * "During 1971, Mayo-Walters invested", "at Valentine-Murray": two surnames joined by a hyphen name a firm. Eponyms
 * ("Kaplan-Meier", "Black-Scholes") and a pair followed by the noun it qualifies ("Lennard-Jones potential", "Miller-Rabin
 * test") are terms; after a given name the pair is a person's double surname, which the tagger hides as a name.
 */
function bySurnamePair(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    const parts = t.word.split("-");
    if (parts.length !== 2 || !parts.every((p) => /^\p{Lu}\p{Ll}+$/u.test(p))) return;
    const plain = (p: string): boolean =>
      !isEponym(p) && !isEverydayEnglishWord(p) && !isKnownPlace(p) && !wordClasses(p).includes("DEMONYM");
    const last = (p: string): boolean => wordClasses(p).includes("LAST");
    if (!parts.every(plain) || !parts.some(last) || !parts.every((p) => isKnownName(p) || last(p) || !isEverydayWord(p))) return;
    const prev = toks[i - 1];
    const next = toks[i + 1];
    if (prev && joined(text, prev, t) && (isCap(prev.word) || isTitle(prev.word))) return;
    const qualifies = (w: string): boolean =>
      isTermNoun(w) || wordClasses(w).includes("NOUN") || !wordClasses(w).some((c) => c === "FUNC" || c === "VERB");
    if (next && joined(text, t, next) && /^\p{Ll}/u.test(next.word) && qualifies(next.word)) return;
    if (parts.every((p) => isCalendarWord(p))) return;
    if (next && joined(text, t, next) && isCap(next.word)) return;
    const d = span(text, t.start, t.end, 0.7);
    if (d) out.push(d);
  });
  return out;
}

/** Every organisation the cues name in `text`; overlapping finds are merged later by resolveOverlaps. */
export function detectOrganisations(text: string): Detection[] {
  const toks = tokens(text);
  const all = [...byLegalForm(text, toks), ...byLowerCaseForm(text, toks), ...byTailNoun(text, toks), ...byHeadNoun(text, toks), ...byPartnerList(text, toks), ...bySurnamePair(text, toks), ...byCue(text, toks), ...byOwnedNoun(text, toks)];
  // One detection per span, the surest cue's; "Carlill v Carbolic Smoke Ball Co" cited as law names no party.
  const best = new Map<string, Detection>();
  const cases = [...publicCaseRanges(text), ...publicBodyRanges(text)];
  for (const d of all) {
    if (inPublicCase(cases, d.start, d.end)) continue;
    const key = `${d.start}:${d.end}`;
    if ((best.get(key)?.confidence ?? 0) < (d.confidence ?? 1)) best.set(key, d);
  }
  const found = [...best.values()];
  return [...found, ...laterMentions(text, toks, found)].sort((a, b) => a.start - b.start);
}

/**
 * "Kestrel Homes Ltd refused; Kestrel says ...": once a firm is named in full, its own name word alone names it too.
 * Only words that are nothing else: not everyday words, places, legal forms or the kinds of firm.
 */
function laterMentions(text: string, toks: readonly Tok[], found: readonly Detection[]): Detection[] {
  const names = new Set<string>();
  for (const d of found) {
    // Only names that end in a legal form or a kind of firm: after "Universitätsspital" comes a town, not a name.
    const inside = toks.filter((t) => t.start >= d.start && t.end <= d.end);
    const tail = inside[inside.length - 1];
    if (!tail || !(isForm(tail) || ORG_TAILS.has(tail.word.toLowerCase()))) continue;
    for (const t of inside) {
      const w = t.word;
      if (w.length < 3 || !/^\p{Lu}\p{Ll}/u.test(w) || isForm(t) || ORG_TAILS.has(w.toLowerCase()) || ORG_HEADS.has(w)) continue;
      if (isEverydayWord(w) || isEverydayEnglishWord(w) || isKnownPlace(w) || isCalendarWord(w) || isFunc(w) || isPublicName(w)) continue;
      names.add(w);
    }
  }
  if (names.size === 0) return [];
  // "Harriet Llewellyn" beside "Llewellyn Architects" is the person: a name word next to another capital is left alone.
  const alone = (i: number): boolean =>
    !(isCap(toks[i - 1]?.word ?? "") && joined(text, toks[i - 1], toks[i])) && !(isCap(toks[i + 1]?.word ?? "") && joined(text, toks[i], toks[i + 1]));
  return toks
    .filter((t, i) => names.has(t.word) && alone(i) && !found.some((d) => d.start <= t.start && t.end <= d.end))
    .map((t) => ({ type: "ORG" as const, start: t.start, end: t.end, confidence: 0.7, source: "org" }));
}
