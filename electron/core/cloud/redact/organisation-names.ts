import type { Detection } from "./detection.js";
import { wordClasses } from "./lexicon.js";
import { isTitle } from "./ner-rules.js";
import { CUE_ARTICLES, LEGAL_FORMS, NAME_LINKS, PUBLIC_ORGS, ROLE_NOUNS } from "./organisation-words.js";
import { isPublicName } from "./terms.js";
import { foreignRank, isCalendarWord, isEverydayEnglishWord, isEverydayWord, isGermanNounForm, isKnownName, isKnownPlace } from "./word-lists.js";

/**
 * Where an organisation's name begins and ends, for organisations.ts: words and their joins, the capitalised run
 * before a legal form or after a kind of firm, and which capitals are names rather than the sentence's own words.
 */

export type Tok = { word: string; start: number; end: number; endDot: number };

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*(?:[./-][\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*)*\.?|&|,/gu;

/** "l'EHPAD", "all'Ospedale", "dell'Istituto": the elided article is the sentence's, the rest may open a name. */
const ELISION = /^(?:[lLdD]|[Dd]ell|[Aa]ll|[Nn]ell|[Dd]all|[Ss]ull|[Qq]u)['’](?=\p{Lu})/u;

export function tokens(text: string): Tok[] {
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
export function joined(text: string, a: Tok | undefined, b: Tok | undefined): boolean {
  if (!a || !b) return false;
  // "SCI Les Platanes. Mets ...": a full stop ends the name unless it closes a legal form, an initial or "St.".
  if (a.endDot > a.end && !isForm(a) && !/^(?:\p{Lu}|St|Co|Ste|Mt)$/u.test(a.word)) return false;
  const gap = text.slice(a.endDot, b.start);
  if (b.word === ",") return gap === "" && a.endDot === a.end;
  return /^[ \t]{0,3}$/.test(gap) && (gap !== "" || a.word === "," || b.word === "&" || a.word === "&");
}

export const isCap = (w: string): boolean => /^[\p{Lu}\p{N}]/u.test(w) && /\p{L}/u.test(w);
export const isFunc = (w: string): boolean => wordClasses(w).includes("FUNC");
export const isForm = (t: Tok): boolean => LEGAL_FORMS.has(t.word) || LEGAL_FORMS.has(t.word + ".");
export const formEnd = (t: Tok): number => (LEGAL_FORMS.has(t.word + ".") || /\.\p{L}/u.test(t.word) ? t.endDot : t.end);

/** Start of a sentence, a line, a quotation or a list item: a capital there says nothing about a name. */
export function atSentenceStart(text: string, t: Tok): boolean {
  const before = text.slice(0, t.start).trimEnd();
  // "Dominguez v. Cascade Freight Inc.", "Az. Nordlicht": an abbreviation's dot ends no sentence.
  if (/(?:^|[\s(])(?:\p{L}|vs|No|Nr|Az|St|Dr|Mr|Mrs|Ms|ca|cf|resp|bzw|gegr|geb|Sp|Co)\.$/u.test(before)) return false;
  return before === "" || /[.!?:;\n"'“«(>•*-]$/u.test(before);
}

/** A word of the name that is a name and not the sentence's own (a known name or place, an acronym, a rare word). */
export function properWord(w: string): boolean {
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

export const ARTICLE_LINKS = new Set(["der", "den", "het", "la", "le", "les", "el", "los", "am", "an", "das"]);
/** "Cabinet médical du Parc", "Ristorante della Pace": after a kind of firm, these make what follows its name. */
const ARTICLE_AFTER_HEAD = new Set(["du", "des", "del", "della", "dei", "degli", "delle", "dal", "het"]);
export const CONJUNCTIONS = new Set(["and", "&", "und", "et", "en", "e", "y"]);

/**
 * The first token of the name that ends just before `toks[i]`, or -1: capitalised words to the left, with links
 * inside ("Bank of", "du Parc") and partners' lists ("Henderson, Hicks and Brown").
 */
export function nameStart(text: string, toks: readonly Tok[], i: number): { first: number; words: string[]; linked: boolean } {
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
export function nameAfter(text: string, toks: readonly Tok[], i: number): { last: number; words: string[]; article: boolean } {
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

export function span(text: string, start: number, end: number, confidence: number): Detection | null {
  const value = text.slice(start, end);
  if (!/\p{L}/u.test(value) || isPublicOrg(value)) return null;
  return { type: "ORG", start, end, confidence, source: "org" };
}
