import type { Detection } from "./detection.js";
import { wordClasses } from "./lexicon.js";
import { isTitle } from "./ner-rules.js";
import { publicBodyRanges } from "./public-bodies.js";
import { inPublicCase, publicCaseRanges } from "./public-cases.js";
import {
  CUE_ARTICLES,
  FORM_CONTINUATIONS,
  LEGAL_FORMS,
  NAME_LINKS,
  ORG_HEAD_PAIRS,
  ORG_HEADS,
  ORG_TAIL_PAIRS,
  ORG_TAILS,
  PUBLIC_ORGS,
  ROLE_NOUNS,
  SHORT_FORMS,
} from "./organisation-words.js";
import { isEponym, isPublicName } from "./terms.js";
import {
  foreignRank,
  isCalendarWord,
  isEverydayEnglishWord,
  isEverydayWord,
  isGermanNoun,
  isGermanNounForm,
  isKnownName,
  isKnownPlace,
} from "./word-lists.js";

/**
 * Organisations found by what names them as one, in six languages, without the tagger: a legal form after the name
 * ("Cascade Freight Inc.", "Alpenland Bau GmbH", "Reformas Ebro S.L."), a noun for a firm or an institution
 * after or before it ("Abt Associates", "CHU de Nantes", "Policlinico San Matteo"), partners' names
 * ("Henderson, Hicks and Brown LLP", "Martin & Fils"), or a phrase that says someone works there ("I work for
 * Chemical Abstracts Service", "travaille chez Dupuis Frères"). The span is the whole name and nothing after it,
 * so the placeholder does not leave half a company behind. Public bodies ("Bank of England", "NHS") are kept.
 */

type Tok = { word: string; start: number; end: number; endDot: number };

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*(?:[./-][\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*)*\.?|&|,/gu;

/** "l'EHPAD", "all'Ospedale", "dell'Istituto": the elided article is the sentence's, the rest may open a name. */
const ELISION = /^(?:[lLdD]|[Dd]ell|[Aa]ll|[Nn]ell|[Dd]all|[Ss]ull|[Qq]u)['’](?=\p{Lu})/u;

function tokens(text: string): Tok[] {
  return [...text.matchAll(TOKEN)].map((m) => {
    const elided = ELISION.exec(m[0])?.[0].length ?? 0;
    const raw = m[0].slice(elided);
    m.index += elided;
    const dot = raw.length > 1 && raw.endsWith(".");
    const word = dot ? raw.slice(0, -1) : raw;
    return { word, start: m.index, end: m.index + word.length, endDot: m.index + raw.length };
  });
}

/** Two tokens on one line with only spaces (or nothing, before a comma) between them. */
function joined(text: string, a: Tok | undefined, b: Tok | undefined): boolean {
  if (!a || !b) return false;
  // "SCI Les Platanes. Mets ...": a full stop ends the name unless it closes a legal form, an initial or "St.".
  if (a.endDot > a.end && !isForm(a) && !/^(?:\p{Lu}|St|Co|Ste|Mt)$/u.test(a.word)) return false;
  const gap = text.slice(a.endDot, b.start);
  if (b.word === ",") return gap === "" && a.endDot === a.end;
  return /^[ \t]{0,3}$/.test(gap) && (gap !== "" || a.word === "," || b.word === "&" || a.word === "&");
}

const isCap = (w: string): boolean => /^[\p{Lu}\p{N}]/u.test(w) && /\p{L}/u.test(w);
const isFunc = (w: string): boolean => wordClasses(w).includes("FUNC");
const isForm = (t: Tok): boolean => LEGAL_FORMS.has(t.word) || LEGAL_FORMS.has(t.word + ".");
const formEnd = (t: Tok): number => (LEGAL_FORMS.has(t.word + ".") || /\.\p{L}/u.test(t.word) ? t.endDot : t.end);

/** Start of a sentence, a line, a quotation or a list item: a capital there says nothing about a name. */
function atSentenceStart(text: string, t: Tok): boolean {
  const before = text.slice(0, t.start).trimEnd();
  // "Dominguez v. Cascade Freight Inc.", "Az. Nordlicht": an abbreviation's dot ends no sentence.
  if (/(?:^|[\s(])(?:\p{L}|vs|No|Nr|Az|St|Dr|Mr|Mrs|Ms|ca|cf|resp|bzw|gegr|geb|Sp|Co)\.$/u.test(before)) return false;
  return before === "" || /[.!?:;\n"'“«(>•*-]$/u.test(before);
}

/** A word of the name that is a name and not the sentence's own (a known name or place, an acronym, a rare word). */
function properWord(w: string): boolean {
  // An acronym is a name, but "PRIVATE KEY" is shouting.
  if (/^\p{Lu}{2,}$/u.test(w)) return !isEverydayEnglishWord(w.charAt(0) + w.slice(1).toLowerCase());
  if (/\p{N}/u.test(w)) return true;
  if (isKnownName(w) || isKnownPlace(w)) return true;
  return !isEverydayWord(w) && !(isGermanNounForm(w, true) && foreignRank(w) !== undefined);
}

/** A capitalised word that cannot be part of a name before a legal form or a tail noun. */
function stopsName(text: string, t: Tok, immediate: boolean): boolean {
  const lower = t.word.toLowerCase();
  if (isFunc(t.word) || isTitle(t.word) || ROLE_NOUNS.has(lower) || isCalendarWord(t.word)) return true;
  if (LEGAL_FORMS.has(t.word) || isPublicName(t.word)) return true;
  // "Contact Acme Ltd": a sentence's first word is the sentence's, unless the form needs it ("Climate Corporation").
  return !immediate && atSentenceStart(text, t) && isEverydayWord(t.word) && !isKnownName(t.word);
}

const ARTICLE_LINKS = new Set(["der", "den", "het", "la", "le", "les", "el", "los", "am", "an", "das"]);
/** "Cabinet médical du Parc", "Ristorante della Pace": after a kind of firm, these make what follows its name. */
const ARTICLE_AFTER_HEAD = new Set(["du", "des", "del", "della", "dei", "degli", "delle", "dal", "het"]);
const CONJUNCTIONS = new Set(["and", "&", "und", "et", "en", "e", "y"]);

/**
 * The first token of the name that ends just before `toks[i]`, or -1: capitalised words to the left, with links
 * inside ("Bank of", "du Parc") and partners' lists ("Henderson, Hicks and Brown").
 */
function nameStart(text: string, toks: readonly Tok[], i: number): { first: number; words: string[]; linked: boolean } {
  let first = -1;
  let sawConj = false;
  let commas = 0;
  // Capitalised words since the last comma, conjunction or link: a partners' list has one name between commas,
  // so "Katrin Sommer, Kanzlei Sommer & Vogel" stops at the comma.
  let run = 0;
  const names: string[] = [];
  for (let j = i - 1; j >= 0 && names.length < 6; j--) {
    const t = toks[j] as Tok;
    if (!joined(text, t, toks[j + 1])) break;
    const lower = t.word.toLowerCase();
    if (t.word === ",") {
      if (!sawConj || commas >= 2 || first !== j + 1 || run !== 1) break;
      commas++;
      run = 0;
      continue;
    }
    if (NAME_LINKS.has(lower) && !isCap(t.word)) {
      const right = toks[j + 1]?.word ?? "";
      const left = toks[j - 1]?.word ?? "";
      // "Van der Velde": Dutch writes the first particle of a surname with a capital when no given name comes first.
      const leftLink = NAME_LINKS.has(left.toLowerCase()) && !ARTICLE_LINKS.has(left.toLowerCase());
      if (first !== j + 1 && !(NAME_LINKS.has(right) && first === j + 2)) break;
      // "der" and "la" join a name only after another link ("von der", "de la"): "Rechnung der Alpenland" is two.
      if (ARTICLE_LINKS.has(lower) ? !leftLink : !isCap(left)) break;
      // "Harriet Llewellyn of Llewellyn Architects": a given name before "of" makes the left side a person.
      const given = toks[j - 2]?.word ?? "";
      if (!CONJUNCTIONS.has(lower) && isCap(given) && wordClasses(given).includes("FIRST") && !wordClasses(given).includes("LAST")) break;
      if (CONJUNCTIONS.has(lower)) sawConj = true;
      run = 0;
      continue;
    }
    if (!isCap(t.word) || stopsName(text, t, first === -1)) break;
    if (commas > 0 && run >= 1) break;
    first = j;
    run++;
    names.unshift(t.word);
  }
  return { first, words: names, linked: sawConj };
}

/** The capitalised name after a head noun or a cue, with its links and any legal form: "de Nantes", "San Matteo". */
function nameAfter(text: string, toks: readonly Tok[], i: number): { last: number; words: string[]; article: boolean } {
  let last = -1;
  let article = false;
  const names: string[] = [];
  for (let j = i; j < toks.length && names.length < 5; j++) {
    const t = toks[j] as Tok;
    if (j > i && !joined(text, toks[j - 1], t)) break;
    const lower = t.word.toLowerCase();
    if (t.word === ",") break;
    if (isForm(t) && last >= 0) {
      last = j;
      continue;
    }
    if (NAME_LINKS.has(lower) || CUE_ARTICLES.has(lower)) {
      if (!isCap(toks[j + 1]?.word ?? "") || !joined(text, t, toks[j + 1])) break;
      if (isCap(t.word) || CUE_ARTICLES.has(lower) || ARTICLE_AFTER_HEAD.has(lower)) article = true;
      continue;
    }
    if (!isCap(t.word) || isTitle(t.word) || ROLE_NOUNS.has(lower) || isCalendarWord(t.word) || (isFunc(t.word) && last >= 0)) break;
    last = j;
    names.push(t.word);
  }
  return { last, words: names, article };
}

function isPublicOrg(value: string): boolean {
  const lower = value.toLowerCase().replace(/^the\s+/, "");
  return PUBLIC_ORGS.has(lower) || isPublicName(value) || [...PUBLIC_ORGS].some((p) => lower.endsWith(" " + p) && p.includes(" ") && /^(?:european|federal|national|world|central|international)\b/.test(lower));
}

function span(text: string, start: number, end: number, confidence: number): Detection | null {
  const value = text.slice(start, end);
  if (!/\p{L}/u.test(value) || isPublicOrg(value)) return null;
  return { type: "ORG", start, end, confidence, source: "org" };
}

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
    if (!proper && !titled && !linked && !isPair && !the) return;
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

const COMPOUND_HEAD =
  /^(?!Rathaus|Landhaus|Bundeshaus|Parlamentshaus)\p{Lu}\p{Ll}+(?:klinik|klinikum|krankenhaus|spital|praxis|ziekenhuis|apotheke|apotheek|haus|markt|handel|werkstatt|betrieb|bedrijf|winkel|praktijk)$/u;

const GERMAN_TRADE = /^(?:Autohaus|Bäckerei|Metzgerei|Hotel|Gasthaus|Gasthof|Apotheke|Stadtwerke)$|\p{Ll}(?:haus|markt|handel|werkstatt|betrieb)$/u;

/** "CHU de Nantes", "Hospital Universitario La Paz", "Kreisklinik Ebersberg", "Bar Restaurante El Faro". */
function byHeadNoun(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    const next = toks[i + 1];
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

/** Phrases after which a capitalised name is an employer, a firm or a care provider, in six languages. */
const CUE = new RegExp(
  "(?<![\\p{L}])(?:" +
    [
      "(?:work|works|worked|working)[ \\t]+(?:for|at|with)",
      "employed[ \\t]+(?:by|at|with)",
      "(?:employee|staff|partner|director|founder|co-founder|CEO|CFO|CTO)[ \\t]+(?:of|at)",
      "(?:job|position|internship|placement|career)[ \\t]+(?:at|with)",
      "(?:joined|hired[ \\t]+by|on[ \\t]+behalf[ \\t]+of|we[ \\t]+act[ \\t]+for|acting[ \\t]+for)",
      "(?:years?|months?|summer|spent[ \\t]+\\S+[ \\t]+\\S+)[ \\t]+at",
      "(?:arbeite|arbeitet|arbeitete|arbeiten|beschäftigt|angestellt|tätig)[ \\t]+(?:bei|für)",
      "(?:travaille|travaillait|travaillé|employée?|salariée?)[ \\t]+(?:chez|pour|au[ \\t]+sein[ \\t]+de)",
      "(?:werk|werkt|werkte|werkzaam|dienst)[ \\t]+(?:bij|voor)",
      "(?:lavoro|lavora|lavorava|lavorato|impiegat[oa]|dipendente)[ \\t]+(?:presso|per|alla|al|della|del)",
      "(?:trabajo|trabaja|trabajaba|trabajado|emplead[oa])[ \\t]+(?:en|para)",
      "(?:Firma|Arbeitgeber|Arbeitgeberin|société|employeur|werkgever|firma|ditta|società|azienda|empresa|sociedad)",
    ].join("|") +
    ")[ \\t]+(?=\\S)",
  "gu",
);

/** "I work for Chemical Abstracts Service", "arbeitet bei der Nordlicht Spedition", "employeur Brasserie du Port". */
function byCue(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  for (const m of text.matchAll(CUE)) {
    const at = m.index + m[0].length;
    let i = toks.findIndex((t) => t.start >= at);
    if (i < 0 || (toks[i] as Tok).start !== at) continue;
    while (CUE_ARTICLES.has((toks[i] as Tok).word.toLowerCase()) && !isCap((toks[i] as Tok).word) && joined(text, toks[i], toks[i + 1])) i++;
    const t = toks[i] as Tok;
    if (!isCap(t.word) || isTitle(t.word) || isFunc(t.word)) continue;
    const { last, words } = nameAfter(text, toks, i);
    if (last < 0) continue;
    const value = text.slice(t.start, formEnd(toks[last] as Tok));
    const single = words.length === 1 ? (words[0] as string) : undefined;
    // "work for Mint" could be the herb; "trabaja en Madrid" is a place; "work with Excel" a product.
    if (single && (isEverydayEnglishWord(single) || isCalendarWord(single) || (isKnownPlace(single) && !wordClasses(single).includes("ORG")))) continue;
    if (!words.some(properWord) && words.length < 2) continue;
    const d = span(text, t.start, t.start + value.length, 0.7);
    if (d) out.push(d);
  }
  return out;
}

/** "The Clean Power Finance office is at", "according to the Roadify Transit website": what a firm has, after its name. */
const OWNED = /^[ \t]+(?:office|offices|headquarters|HQ|website|web[ \t]+site|branch|subsidiary|employees|staff|founders|shareholders)\b/u;

function byOwnedNoun(text: string, toks: readonly Tok[]): Detection[] {
  const out: Detection[] = [];
  toks.forEach((t, i) => {
    if (!/^(?:the|The)$/.test(t.word) || !joined(text, t, toks[i + 1])) return;
    const { last, words } = nameAfter(text, toks, i + 1);
    if (last < 0) return;
    const end = formEnd(toks[last] as Tok);
    if (!OWNED.test(text.slice(end))) return;
    // "the Berlin office" names a place, "the main office" nothing: one word must be a rare name, or two capitals.
    if (words.some((w) => wordClasses(w).includes("DEMONYM") || (isKnownPlace(w) && !wordClasses(w).includes("ORG")))) return;
    if (words.length < 2 && !words.some((w) => properWord(w) && !isEverydayEnglishWord(w))) return;
    const d = span(text, (toks[i + 1] as Tok).start, end, 0.7);
    if (d) out.push(d);
  });
  return out;
}

/** Every organisation the cues name in `text`; overlapping finds are merged later by resolveOverlaps. */
export function detectOrganisations(text: string): Detection[] {
  if (!/\p{Lu}/u.test(text)) return [];
  const toks = tokens(text);
  const all = [...byLegalForm(text, toks), ...byTailNoun(text, toks), ...byHeadNoun(text, toks), ...byPartnerList(text, toks), ...byCue(text, toks), ...byOwnedNoun(text, toks)];
  // One detection per span, the surest cue's; "Carlill v Carbolic Smoke Ball Co" cited as law names no party.
  const best = new Map<string, Detection>();
  const cases = [...publicCaseRanges(text), ...publicBodyRanges(text)];
  for (const d of all) {
    if (inPublicCase(cases, d.start, d.end)) continue;
    const key = `${d.start}:${d.end}`;
    if ((best.get(key)?.confidence ?? 0) < (d.confidence ?? 1)) best.set(key, d);
  }
  return [...best.values()].sort((a, b) => a.start - b.start);
}
