/**
 * Subject-agnostic signals of a multiple-choice item: the question's form (wh-word, "which of the following is
 * true", a capitalised NOT / EXCEPT, completion or question), how its options are built (count, length ratio,
 * overlap with the question and with each other, numbers with units, proper names, full sentences), how many
 * reasoning steps it likely needs (conditions, comparatives, clauses, quantities and operations) and how hard it
 * is to read (word and sentence length, long words). No word here names a subject: these are what carries to
 * exam subjects the router never saw. Zero for free-form prompts.
 */

import { countMatches, soft } from "./text.js";
import type { DenseSpec } from "./features.js";

export const ITEM_FORM: DenseSpec[] = [
  { name: "if_wh_what", label: null },
  { name: "if_wh_who_when_where", label: null },
  { name: "if_wh_why_how", label: null },
  { name: "if_true_statement", label: "asks which statement is true" },
  { name: "if_best_judgement", label: "asks for the best or most likely answer" },
  { name: "if_caps_negation", label: "negated question (NOT / EXCEPT)" },
  { name: "if_completion", label: null },
  { name: "if_option_count", label: null },
  { name: "if_option_longest_ratio", label: null },
  { name: "if_option_stem_overlap", label: null },
  { name: "if_option_mutual_overlap", label: "answer options that differ only slightly", notable: 0.5 },
  { name: "if_option_units", label: "quantities with units in the options", notable: 0.5 },
  { name: "if_option_names", label: null },
  { name: "if_option_sentences", label: null },
  { name: "if_conditions", label: "conditions to reason through (if, suppose, given)", notable: soft(2, 4) },
  { name: "if_comparatives", label: null },
  { name: "if_clauses", label: null },
  { name: "if_quantities", label: "several quantities to work with", notable: soft(3, 8) },
  { name: "if_operations", label: null },
  { name: "if_word_length", label: null },
  { name: "if_long_words", label: null },
  { name: "if_sentence_length", label: null },
  { name: "if_latex_or_code", label: "formulas or code" },
];

const WORD_RE = /\p{L}+/gu;
const UNIT_RE = /\d\s*(?:%|[a-zA-Zµμ°Ω]{1,4}(?:\/[a-zA-Z]{1,3})?(?:\^?-?\d)?)(?=\W|$)|\$\s*\d/;
const CONDITION_RE = /\b(?:if|suppose|supposing|assume|assuming|given|unless|when|whenever|provided)\b/gi;
const COMPARATIVE_RE = /\b(?:more|less|fewer|most|least|greater|greatest|smaller|smallest|larger|largest|higher|highest|lower|lowest|better|worse|best|worst)\b|\b\w{3,}er than\b/gi;
const CLAUSE_RE = /[,;:]|\b(?:and|but|because|although|while|whereas|which|that|who)\b/gi;
const OPERATION_RE = /\d\s*[-+*/^×÷=<>]\s*[\d(a-z]|[=≤≥≠±√∑∫]/gi;
const LATEX_CODE_RE = /\\[a-zA-Z]+|\$[^$\n]+\$|```|\b(?:def|return|int|void|printf|print)\b\s*[\w(]|[{};]\s*$/m;
const TRUE_STATEMENT_RE = /which (?:one )?of the following (?:statements? )?(?:is|are) (?:not )?(?:true|correct|false|incorrect|accurate|valid)|(?:true|correct|false) (?:statement|about)/i;
const BEST_RE = /\b(?:best|most likely|most appropriate|primarily|mainly|most accurately|most probably|most strongly)\b/i;
const CAPS_NEGATION_RE = /\b(?:NOT|EXCEPT|LEAST|FALSE|INCORRECT|NEVER)\b/;

function words(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

function wordSet(text: string): Set<string> {
  return new Set(words(text.toLowerCase()).filter((w) => w.length > 3));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Form, option structure, reasoning steps and readability of a multiple-choice item. */
export function itemFormFeatures(stem: string, choices: readonly string[], set: (name: string, value: number) => void): void {
  const question = lastSentence(stem);
  const lower = question.toLowerCase();
  set("if_wh_what", /\b(?:what|which)\b/.test(lower) ? 1 : 0);
  set("if_wh_who_when_where", /\b(?:who|whom|when|where)\b/.test(lower) ? 1 : 0);
  set("if_wh_why_how", /\b(?:why|how)\b/.test(lower) ? 1 : 0);
  set("if_true_statement", TRUE_STATEMENT_RE.test(stem) ? 1 : 0);
  set("if_best_judgement", BEST_RE.test(question) ? 1 : 0);
  set("if_caps_negation", CAPS_NEGATION_RE.test(stem) ? 1 : 0);
  const trimmed = stem.trim();
  set("if_completion", trimmed && !/[?:]$/.test(trimmed) ? 1 : 0);

  set("if_option_count", Math.min(1, choices.length / 8));
  const lengths = choices.map((c) => words(c).length);
  const mean = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  set("if_option_longest_ratio", mean > 0 ? Math.min(3, Math.max(...lengths) / mean) / 3 : 0);
  const stemWords = wordSet(stem);
  const optionWords = choices.map(wordSet);
  set("if_option_stem_overlap", optionWords.reduce((s, o) => s + jaccard(o, stemWords), 0) / Math.max(1, choices.length));
  let pairs = 0;
  let mutual = 0;
  for (let i = 0; i < optionWords.length; i++) {
    for (let j = i + 1; j < optionWords.length; j++) {
      pairs++;
      mutual += jaccard(optionWords[i]!, optionWords[j]!);
    }
  }
  set("if_option_mutual_overlap", pairs ? mutual / pairs : 0);
  const share = (test: (c: string) => boolean) => choices.filter(test).length / Math.max(1, choices.length);
  set("if_option_units", share((c) => UNIT_RE.test(c)));
  set("if_option_names", share((c) => /^[A-Z][a-z]+(?:\s+[A-Z][a-z.]+)+$/.test(c.trim())));
  set("if_option_sentences", share((c) => words(c).length >= 6));

  const all = `${stem}\n${choices.join("\n")}`;
  set("if_conditions", soft(countMatches(CONDITION_RE, stem), 4));
  set("if_comparatives", soft(countMatches(COMPARATIVE_RE, stem), 4));
  set("if_clauses", soft(countMatches(CLAUSE_RE, stem), 12));
  set("if_quantities", soft((all.match(/\d+(?:[.,]\d+)*/g) ?? []).length, 8));
  set("if_operations", soft(countMatches(OPERATION_RE, all), 6));
  const stemWordList = words(stem);
  const letters = stemWordList.reduce((n, w) => n + w.length, 0);
  set("if_word_length", stemWordList.length ? Math.min(1, letters / stemWordList.length / 10) : 0);
  set("if_long_words", stemWordList.length ? stemWordList.filter((w) => w.length >= 9).length / stemWordList.length : 0);
  const sentences = stem.split(/[.?!]+(?:\s|$)/).filter((s) => s.trim()).length;
  set("if_sentence_length", soft(stemWordList.length / Math.max(1, sentences), 40));
  set("if_latex_or_code", LATEX_CODE_RE.test(all) ? 1 : 0);
}

/** The question proper: the stem's last sentence (a passage or scenario may come before it). */
function lastSentence(stem: string): string {
  const parts = stem.trim().split(/(?<=[.?!])\s+|\n+/).filter((s) => s.trim());
  return parts[parts.length - 1] ?? "";
}
