import { commonness, wordClasses } from "./lexicon.js";
import { isEponym, isPlainTermNoun, isPublicHead, isPublicName, isTermHead, isTermLink, isTermNoun } from "./terms.js";
import type { Token } from "./tokenize.js";
import { foreignRank, isCalendarWord, isKnownName } from "./word-lists.js";

/**
 * Whether a tagged span is part of a term or a public name rather than a person, a company or an address: eponyms
 * before or after their term noun in six languages, compounds, numbered accords, hyphenated scores and products,
 * drug stems and medical endings, and words that continue the name of a law, a treaty or a public body.
 */

const isWord = (t: string): boolean => /^\p{L}[\p{L}\p{M}'’.-]*$/u.test(t);
const isCapitalised = (t: string): boolean => /^\p{Lu}/u.test(t);
/** Ranks below this in the foreign lists are function words ("que", "las", "und"). */
const FUNCTION_RANK = 60;

/** Term nouns that end compounds written as one word in Dutch and German ("Laffercurve", "Coxmodell"). */
const TERM_TAILS = new Set([
  "curve", "kurve", "modell", "model", "theorem", "stelling", "verdeling", "verteilung", "gleichung", "effect", "effekt",
  "test", "toets", "syndroom", "syndrom", "machine", "maschine", "algoritme", "algorithmus", "getal", "zahl", "index",
  "score", "schaal", "skala", "teken", "zeichen", "methode", "verfahren", "prinzip", "principe", "regel", "ziekte",
  "krankheit", "reflex", "diagramm", "diagram", "netwerk", "kette", "keten", "filter", "transformatie",
  "transformation", "integraal", "integral", "lemma", "theorie", "vergelijking", "klassifikation", "classificatie",
  "kriterien", "criteria", "paradox", "paradoxon", "konstante", "constante", "pact", "pakt", "verdrag", "vertrag",
  "akkoord", "abkommen", "wetboek", "gesetzbuch",
]);
/** Endings of medical terms in the six languages ("-osis", "-itis", "-ectomy", "-pathie", "-ämie", "-algia"). */
const MEDICAL_ENDING = /(?:osis|osen|itis|itiden|ectomy|ectomie|ektomie|tomie|tomia|tomía|pathie|pathy|patia|patía|ämie|emia|aemia|émie|algia|algie|plastie|plasty|plastica|skopie|scopy|scopia|scopie|iasis|ose)$/u;
/** International non-proprietary drug-name stems. */
const DRUG_ENDING = /(?:formin|statin|pril|sartan|olol|mab|tinib|azole|cillin|mycin|cycline|floxacin|parin|prazole|tidine|dronate|gliptin|gliflozin|glutide|triptan|setron|zepam|azepam|profen|fenac|oxetine|triptyline|semide|thiazide)$/u;

/** A lower-case noun that may stand between an eponym and its term noun ("growth" in "Gordon growth model"). */
function isTermModifier(word: string): boolean {
  if (!/^\p{Ll}{3,}$/u.test(word) || isTermNoun(word)) return false;
  if (wordClasses(word).some((c) => c === "FUNC" || c === "VERB")) return false;
  return (foreignRank(word) ?? Infinity) >= FUNCTION_RANK && (commonness(word) > 0 || foreignRank(word) !== undefined);
}

/** Links allowed inside the name of a public body or a term ("Protección de Datos", "Convenio de La Haya"). */
const NAME_LINKS = new Set(["de", "del", "della", "di", "da", "van", "von", "der", "des", "du", "of", "for", "für", "la", "le", "el", "y", "e", "et", "en", "and", "und", "sur", "sul", "sobre", "on", "voor"]);

/** Lower-case words that open the name of a law, a treaty or a doctrine ("la loi Informatique et Libertés"). */
const LAW_HEADS = new Set(
  ("loi lois legge leggi ley leyes wet wetten lex gesetz act décret decreto decreet decree code codice código règlement " +
    "regolamento reglamento verordening directive direttiva directiva richtlijn convention convenzione convenio verdrag " +
    "traité trattato tratado treaty accord accordo acuerdo akkoord doctrine dottrina doctrina jurisprudence " +
    "giurisprudenza jurisprudencia arrêt sentenza sentencia arrest programme programma programa").split(" "),
);

function continuesName(tokens: readonly Token[], from: number): boolean {
  for (let k = from - 1, seen = 0; k >= 0 && seen < 6; k--, seen++) {
    const w = tokens[k]?.text ?? "";
    if (isPublicHead(w) || (isCapitalised(w) && isTermHead(w)) || (seen > 0 && LAW_HEADS.has(w.toLowerCase()))) return true;
    if (!(isCapitalised(w) || NAME_LINKS.has(w.toLowerCase())) || !isWord(w)) return false;
  }
  return false;
}

/**
 * A span that is part of a term, not a person or a company: "Nash equilibrium", "Parkinson's disease",
 * "Bayes' theorem", "Black-Scholes", "théorème de Bayes", "Morbus Crohn", "Nash-Gleichgewicht", or a public body.
 */
export function isTermOrPublicName(tokens: readonly Token[], from: number, to: number, value: string): boolean {
  if (isPublicName(value)) return true;
  const last = tokens[to]?.text ?? "";
  let next = to + 1;
  const possessive = /^['’]s?$/u.test(tokens[next]?.text ?? "");
  if (possessive) next++;
  const after = tokens[next]?.text ?? "";
  if (isTermNoun(after) || (to > from && isTermNoun(last))) return true;
  if (!possessive && isPlainTermNoun(after)) return true;
  // "Glasgow Coma Scale", "Hamilton Depression Rating Scale": the term noun may come two or three words later.
  for (let k = next; k < next + 3 && isCapitalised(tokens[k]?.text ?? ""); k++) {
    if (isTermNoun(tokens[k + 1]?.text ?? "") && isCapitalised(tokens[k + 1]?.text ?? "")) return true;
  }
  // "Gordon growth model", "Raft consensus algorithm": one or two plain nouns between the eponym and its term noun.
  for (let k = next; k < next + 2 && isTermModifier(tokens[k]?.text ?? ""); k++) {
    if (isTermNoun(tokens[k + 1]?.text ?? "")) return true;
  }
  // "Basel III", "Bâle III", "Solvency II's": an accord or framework numbered like a king, not a listed given name.
  const numeral = /^(?:II|III|IV|V|VI)(?:['’]s)?$/u;
  if (numeral.test(last) && to > from && !isKnownName(tokens[from]?.text ?? "")) return true;
  // "Reglamento General de Protección de Datos", "Sistema di Interscambio", "Convenio de La Haya": the span
  // continues a public body's or a term's name that began a few capitalised words earlier.
  if (continuesName(tokens, from)) return true;
  // "Parkinson's" or "Bayes'" with no noun after it, for the eponyms that are usually a disease or a rule.
  if (possessive && isEponym(last) && !isCapitalised(after)) return true;
  const before = tokens[from - 1]?.text ?? "";
  if (isTermHead(before)) return true;
  if (isTermLink(before) && isTermHead(tokens[from - 2]?.text ?? "")) return true;
  // "principe de substitution de Liskov", "teorema del valor medio di ...": the head with a noun of its own between.
  if (isTermLink(before) && /^\p{Ll}+$/u.test(tokens[from - 2]?.text ?? "") && isTermLink(tokens[from - 3]?.text ?? "") && isTermHead(tokens[from - 4]?.text ?? "")) return true;
  // "Stabiliteits- en Groeipact", "Kranken- und Pflegeversicherung": the first half of a shared compound.
  if (from === to && tokens[to + 1]?.text === "-" && /^(?:en|und|of|oder|et|ou|e|o|y)$/u.test(tokens[to + 2]?.text ?? "")) return true;
  // Hyphenated: "Black-Scholes", "Kaplan-Meier", "Nash-Gleichgewicht", "Black-Scholes-Modell".
  const parts = tokens.slice(from, to + 1).flatMap((t) => t.text.split("-"));
  if (parts.length > 1 && parts.some(isEponym)) return true;
  if (parts.length > 1 && isTermNoun(parts[parts.length - 1] ?? "")) return true;
  // "the Altman Z-score", "a Tanner-stage": a hyphenated term noun after the word ("Z-score", "t-test").
  if (/^\p{L}{1,3}-\p{L}+$/u.test(after) && isTermNoun(after.split("-").pop() ?? "")) return true;
  // "Ptosis", "Miosis", "Gastritis", "Ileus": medical words by their Greek and Latin endings, no one's name.
  const words = tokens.slice(from, to + 1).filter((t) => /^\p{L}/u.test(t.text));
  if (words.length > 0 && words.every((t) => MEDICAL_ENDING.test(t.text) && !isKnownName(t.text) && t.text.length >= 6)) return true;
  // "Hyper-V", "Typ-2", "COVID-19": a word joined to a single capital or to digits is a product, a type or a code.
  if (from === to && /^\p{L}+-(?:\p{Lu}|\p{N}+)$/u.test(last)) return true;
  // "Docker-image", "SEPA-incasso": a compound ending in a lower-case word is a term; names' parts are capitalised.
  if (from === to && /-\p{Ll}[\p{L}]*$/u.test(last) && !/-(?:la|le|les|de|du|des|sur|en|am|an|im|aan|op|di|del)-/u.test(last)) return true;
  // A lone eponym ("Markov", "Gini", "Hodgkin"): the tagger alone does not make it a person; a title still does.
  if (from === to && isEponym(last)) return true;
  // "Laffercurve", "Coxmodell": an eponym joined to its term noun.
  if (from === to && /^\p{Lu}\p{Ll}{2,}/u.test(last) && [...TERM_TAILS].some((n) => last.length - n.length >= 3 && last.toLowerCase().endsWith(n))) return true;
  // "Basel III", "Solvency II": an accord or a framework numbered like a king, but no listed given name.
  if (/^(?:II|III|IV)(?:['’]s)?$/u.test(after) && !isKnownName(last) && from === to) return true;
  // "Jueves Santo", "Venerdì Santo", "Vendredi saint": "holy" after a weekday names a holiday, not a saint's name.
  if (from === to && /^(?:santo|santa|saint|sainte|santos)$/iu.test(last) && isCalendarWord(before) && isCapitalised(before)) return true;
  // "HAS-BLED", "CHA2DS2-VASc": hyphenated capitals are scores and codes; "Metformin", "Atorvastatin" are drugs.
  if (from === to && /^\p{Lu}{2,}(?:-\p{Lu}[\p{Lu}\p{N}]+)+$/u.test(last)) return true;
  if (from === to && last.length >= 7 && DRUG_ENDING.test(last.toLowerCase()) && !isKnownName(last)) return true;
  // "GitLab", "PageRank", "OAuth": inner capitals make a product, unless a surname prefix ("McDonald", "DeSantis").
  return from === to && /\p{Ll}\p{Lu}/u.test(last) && !/^(?:Mc|Mac|O'|O’|De|Di|Da|Du|La|Le|Van|Von)\p{Lu}/u.test(last);
}
