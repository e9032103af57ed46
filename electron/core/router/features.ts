/**
 * Features of a prompt (and its conversation) for the escalation router. Pure, allocation-light and fast: a few
 * hundred microseconds even for a long prompt, so the router can decide before every send.
 *
 * Two kinds:
 * - dense, named features: task type (multiple choice, math, code, writing), math and code structure, reasoning
 *   cues, length and parts, language, conversation depth, broad domain families, word-problem difficulty
 *   (word-problem.ts) and multiple-choice item structure. Each has a user-facing label, which is where the
 *   decision's reasons come from.
 * - hashed n-grams (ngrams.ts): word n-grams, and shape n-grams (content words replaced by their shape), hashed
 *   into a fixed number of buckets, so vocabulary never has to ship.
 * Dense features fall into named groups (FEATURE_GROUPS); which groups and which n-grams a head reads is chosen
 * by nested cross-validation on subjects the selection never saw (scripts/training/router/selection.ts).
 */

import {
  CODE_WORDS,
  DOMAIN_LABELS,
  DOMAIN_NAMES,
  DOMAIN_OF_WORD,
  MATH_ASK_WORDS,
  NEGATION_WORDS,
  REASONING_WORDS,
  type Domain,
} from "./lexicon.js";
import { fnv1a } from "./hash.js";
import { ITEM_FORM, itemFormFeatures } from "./item-form.js";
import { shapeNgrams, wordNgrams, type NgramKind } from "./ngrams.js";
import { countMatches, soft, tokenize } from "./text.js";
import { WORD_PROBLEM, wordProblemFeatures } from "./word-problem.js";

export { fnv1a, tokenize };

export type HistoryTurn = { role: "user" | "assistant"; content: string };

export type DenseSpec = {
  name: string;
  /** Shown to the user when this feature pushes the decision towards the cloud; null = never shown. */
  label: string | null;
  /** Smallest feature value worth naming as a reason (a 12-word prompt is not a "long prompt"). */
  notable?: number;
};

const STRUCTURAL: DenseSpec[] = [
  { name: "bias", label: null },
  { name: "length", label: "long prompt", notable: soft(150, 400) },
  { name: "long_request", label: "long multi-part request" },
  { name: "parts", label: "several questions or parts", notable: soft(3, 6) },
  { name: "multiple_choice", label: "multiple-choice question" },
  { name: "option_length", label: "long answer options", notable: soft(15, 40) },
  { name: "numeric_options", label: "numerical answer options", notable: 0.5 },
  { name: "statement_pairs", label: "true/false statement pairs", notable: 0.5 },
  { name: "numbers", label: "many quantities", notable: soft(4, 8) },
  { name: "math_operators", label: "equations or formulas", notable: soft(2, 6) },
  { name: "multi_step_math", label: "multi-step math" },
  { name: "math_ask", label: "asks for a calculation" },
  { name: "formal_logic", label: "formal logic / proofs" },
  { name: "code", label: "code" },
  { name: "reasoning", label: "asks for reasoning or analysis", notable: soft(1, 3) },
  { name: "negation", label: "negated question (NOT / EXCEPT)" },
  { name: "non_latin", label: "non-Latin script" },
  { name: "non_ascii", label: null },
  { name: "conversation_depth", label: "long conversation", notable: soft(6, 10) },
  { name: "history_length", label: "long conversation context", notable: soft(1500, 4000) },
];

/**
 * Multiple-choice item structure that carries across subjects (nothing here names a subject). Zero for
 * free-form prompts.
 */
const CHOICE_ITEM: DenseSpec[] = [
  { name: "mc_option_spread", label: "answer options of uneven length", notable: 0.5 },
  { name: "mc_option_sd", label: null },
  { name: "mc_all_none", label: "all / none of the above option" },
  { name: "mc_combination", label: "combination options (I, II, III)", notable: 0.5 },
  { name: "mc_formula_options", label: "formulas in the answer options", notable: 0.5 },
  { name: "mc_stem_length", label: "long question", notable: soft(80, 300) },
  { name: "mc_passage", label: "reading passage or scenario" },
  { name: "mc_which_of", label: null },
  { name: "mc_question_mark", label: null },
  { name: "mc_blank", label: null },
  { name: "mc_math_notation", label: "math notation", notable: soft(1, 5) },
  { name: "mc_stem_numbers", label: null },
  { name: "mc_paired", label: "paired statements or scenarios" },
  { name: "mc_short_options", label: null },
];

const DOMAIN_FEATURES: DenseSpec[] = DOMAIN_NAMES.map((d) => ({ name: `domain_${d}`, label: `domain: ${DOMAIN_LABELS[d]}`, notable: 0.5 }));

export const DENSE: readonly DenseSpec[] = [...STRUCTURAL, ...WORD_PROBLEM, ...CHOICE_ITEM, ...ITEM_FORM, ...DOMAIN_FEATURES];

/**
 * Named groups of dense features, the unit nested cross-validation selects. "domain" (word families such as
 * law or physics) is the one group that names subjects; the others describe a prompt's form.
 */
export const FEATURE_GROUPS = {
  structure: STRUCTURAL.map((s) => s.name).filter((n) => n !== "bias"),
  word_problem: WORD_PROBLEM.map((s) => s.name),
  choice_item: CHOICE_ITEM.map((s) => s.name),
  item_form: ITEM_FORM.map((s) => s.name),
  domain: DOMAIN_FEATURES.map((s) => s.name),
} as const satisfies Record<string, readonly string[]>;
export type FeatureGroup = keyof typeof FEATURE_GROUPS;
export const DENSE_COUNT = DENSE.length;
const DENSE_INDEX = new Map(DENSE.map((spec, i) => [spec.name, i]));

function denseIndex(name: string): number {
  const index = DENSE_INDEX.get(name);
  if (index === undefined) throw new Error(`unknown feature ${name}`);
  return index;
}

export type PromptFeatures = {
  /** Dense features, in DENSE order. */
  dense: Float64Array;
  /** Hashed word n-gram buckets (0 .. 2^hashBits - 1) and their values; buckets are unique and sorted. */
  hashedIndex: Uint32Array;
  hashedValue: Float32Array;
  /** Hashed shape n-gram buckets and values (absent: none computed). */
  shapeIndex?: Uint32Array;
  shapeValue?: Float32Array;
};

/** The hashed n-grams of one kind ("none": no buckets). */
export function ngramsOf(f: PromptFeatures, kind: NgramKind): { index: Uint32Array; value: Float32Array } {
  if (kind === "words") return { index: f.hashedIndex, value: f.hashedValue };
  if (kind === "shape" && f.shapeIndex && f.shapeValue) return { index: f.shapeIndex, value: f.shapeValue };
  return { index: new Uint32Array(0), value: new Float32Array(0) };
}

/**
 * Answer options are lettered with capitals (A., (B), C) ...), as in every exam item the multiple-choice pair is
 * fitted on. A list lettered a), b), c) in a chat prompt is as often data to process ("identify the countries in
 * the following sentences: a) ... b) ...") as answer options; scored by the multiple-choice pair and its
 * exam-calibrated scale such prompts jumped the queue, so they count as free-form and the general pair scores them.
 */
const OPTION_RE = /^\s*\(?([A-H])[.)]\s+(.*)$/;

/** Splits a multiple-choice prompt into the question and its options (A., B., ... in order from A). */
export function splitOptions(prompt: string): { stem: string; options: string[] } {
  const lines = prompt.split(/\r?\n/);
  let first = -1;
  const options: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = OPTION_RE.exec(lines[i]!);
    if (!m) continue;
    const letter = m[1]!.charCodeAt(0) - 65;
    if (letter === options.length) {
      if (options.length === 0) first = i;
      options.push(m[2]!.trim());
    } else if (letter === 0) {
      first = i;
      options.length = 0;
      options.push(m[2]!.trim());
    }
  }
  if (options.length < 2) return { stem: prompt, options: [] };
  const stem = lines.slice(0, first).join("\n");
  return { stem, options };
}

const MATH_OP_RE = /(?:\d|\b[a-z]\b|\))\s*(?:[=+*/^×÷<>≤≥]|\*\*|−|-(?=\s*[\d(a-z]))\s*(?:\d|\b[a-z]\b|\(|-)|\\frac|\\sqrt|\bsqrt\b|\\int|∫|∑|√|π/giu;
const LOGIC_SYMBOL_RE = /[⊃≡∨∧¬→↔∀∃⊢⊨]|\s[~·]\s?\(?[A-Z]|\bstatement 1\b|\bif and only if\b/giu;
const CODE_RE = /```|;\s*$|[{}]\s*$|==|!=|&&|\|\||=>|->|\bdef\s+\w+\(|\bfunction\s*\w*\(|#include|\bconsole\.|\bprint\(/gm;
const PART_RE = /\?|^\s*(?:\d+[.)]|[-*•])\s+/gm;
const NON_LATIN_RE = /[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/gu;

const ALL_NONE_RE = /\b(?:all|none|both|neither) of the (?:above|these|following)\b|^(?:all|none|both|neither)\b/i;
const COMBINATION_RE = /^(?:I|II|III|IV)(?:\b|,| and| only)/;
const FORMULA_OPTION_RE = /[=^√π\\]|\d\s*[*/+\-×]\s*\d|\b[a-z]\s*[+\-*/^=]/i;
const PASSAGE_RE = /following (?:passage|information|excerpt|quote)|\bpassage\b|^\s*".{80,}/im;
const MATH_NOTATION_RE = /\\[a-z]+|\$[^$]+\$|\^|√|∫|∑/gi;

export type FeatureOptions = { hashBits: number };

/** Dense features' values, by name (tests and diagnostics). */
export function denseValue(f: PromptFeatures, name: string): number {
  return f.dense[denseIndex(name)]!;
}

/** Computes the features of one prompt. `history` is the conversation before it, oldest first. */
export function extractFeatures(prompt: string, history: readonly HistoryTurn[] | undefined, options: FeatureOptions): PromptFeatures {
  const dense = new Float64Array(DENSE_COUNT);
  const set = (name: string, value: number) => {
    dense[denseIndex(name)] = value;
  };
  const { stem, options: choices } = splitOptions(prompt);
  const stemTokens = tokenize(stem);
  const optionTokens = choices.map((c) => tokenize(c));
  const words = stemTokens.filter((t) => /^\p{L}/u.test(t));
  const allWordCount = words.length + optionTokens.reduce((n, toks) => n + toks.length, 0);
  const numbers = stemTokens.filter((t) => t.startsWith("<num")).length;

  set("bias", 1);
  set("length", soft(allWordCount, 400));
  const parts = countMatches(PART_RE, stem);
  set("long_request", allWordCount > 150 || parts >= 3 ? 1 : 0);
  set("parts", soft(parts, 6));
  set("multiple_choice", choices.length >= 2 ? 1 : 0);
  if (choices.length >= 2) {
    const meanOption = optionTokens.reduce((n, toks) => n + toks.length, 0) / choices.length;
    set("option_length", soft(meanOption, 40));
    const numeric = optionTokens.filter((toks) => toks.some((t) => t.startsWith("<num")) || toks.some((t) => /^[=+\-*/^]$/.test(t)));
    set("numeric_options", numeric.length / choices.length);
    const tf = choices.filter((c) => /^(?:true|false|wrong|not wrong)\s*,\s*(?:true|false|wrong|not wrong)$/i.test(c));
    set("statement_pairs", tf.length / choices.length);
  }
  set("numbers", soft(numbers, 8));
  const mathOps = countMatches(MATH_OP_RE, prompt);
  set("math_operators", soft(mathOps, 6));

  let mathAsk = 0;
  let reasoning = 0;
  let negation = 0;
  let codeWords = 0;
  const domainCounts = new Map<Domain, number>();
  for (const t of stemTokens) {
    if (MATH_ASK_WORDS.has(t)) mathAsk++;
    if (REASONING_WORDS.has(t)) reasoning++;
    if (NEGATION_WORDS.has(t)) negation++;
    if (CODE_WORDS.has(t)) codeWords++;
    const domains = DOMAIN_OF_WORD.get(t);
    if (domains) for (const d of domains) domainCounts.set(d, (domainCounts.get(d) ?? 0) + 1);
  }
  for (const toks of optionTokens) {
    for (const t of toks) {
      const domains = DOMAIN_OF_WORD.get(t);
      if (domains) for (const d of domains) domainCounts.set(d, (domainCounts.get(d) ?? 0) + 0.5);
    }
  }
  set("math_ask", soft(mathAsk, 4));
  set("multi_step_math", numbers >= 3 && (mathAsk >= 1 || mathOps >= 1) ? soft(numbers - 2, 8) : 0);
  set("formal_logic", soft(countMatches(LOGIC_SYMBOL_RE, prompt), 3));
  const codeMarks = countMatches(CODE_RE, prompt);
  set("code", codeMarks >= 2 || (codeMarks >= 1 && codeWords >= 2) ? soft(codeMarks + codeWords, 8) : 0);
  set("reasoning", soft(reasoning, 3));
  set("negation", negation > 0 ? 1 : 0);
  const letters = prompt.replace(/[^\p{L}]/gu, "");
  const nonAscii = letters.length ? letters.replace(/[a-zA-Z]/g, "").length / letters.length : 0;
  set("non_ascii", nonAscii);
  set("non_latin", letters.length && countMatches(NON_LATIN_RE, prompt) / letters.length > 0.3 ? 1 : 0);
  const turns = history?.length ?? 0;
  set("conversation_depth", soft(turns, 10));
  set("history_length", soft((history ?? []).reduce((n, h) => n + h.content.length, 0) / 4, 4000));
  const domainTotal = [...domainCounts.values()].reduce((a, b) => a + b, 0);
  for (const d of DOMAIN_NAMES) {
    const c = domainCounts.get(d) ?? 0;
    // Share of the domain-bearing words, damped when there are few of them.
    set(`domain_${d}`, domainTotal ? (c / domainTotal) * Math.min(1, domainTotal / 3) : 0);
  }

  if (choices.length >= 2) {
    choiceItemFeatures(stem, choices, optionTokens, stemTokens, prompt, set);
    itemFormFeatures(stem, choices, set);
  } else {
    wordProblemFeatures(prompt, stemTokens, dense[denseIndex("code")]! > 0, set);
  }

  const wordGrams = wordNgrams(stemTokens, optionTokens, options.hashBits);
  const shape = shapeNgrams(tokenize(stem, true), choices.map((c) => tokenize(c, true)), options.hashBits);
  return { dense, hashedIndex: wordGrams.index, hashedValue: wordGrams.value, shapeIndex: shape.index, shapeValue: shape.value };
}

/** Structure of a multiple-choice item: its options' shape, the question's form, a passage, notation. */
function choiceItemFeatures(
  stem: string,
  choices: readonly string[],
  optionTokens: readonly string[][],
  stemTokens: readonly string[],
  prompt: string,
  set: (name: string, value: number) => void,
): void {
  const lengths = optionTokens.map((toks) => toks.length);
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  const sd = Math.sqrt(lengths.reduce((a, b) => a + (b - mean) ** 2, 0) / lengths.length);
  set("mc_option_spread", sd / (mean + 1));
  set("mc_option_sd", soft(sd, 20));
  set("mc_all_none", choices.some((c) => ALL_NONE_RE.test(c)) ? 1 : 0);
  set("mc_combination", choices.filter((c) => COMBINATION_RE.test(c)).length / choices.length);
  set("mc_formula_options", choices.filter((c) => FORMULA_OPTION_RE.test(c)).length / choices.length);
  set("mc_stem_length", soft(stemTokens.filter((t) => /^\p{L}/u.test(t)).length, 300));
  set("mc_passage", PASSAGE_RE.test(stem) || stem.split(/\n/).filter((l) => l.trim()).length >= 3 ? 1 : 0);
  set("mc_which_of", /which of the following/i.test(stem) ? 1 : 0);
  set("mc_question_mark", /\?\s*$/.test(stem.trim()) ? 1 : 0);
  set("mc_blank", /_{2,}|\(\s*\)/.test(stem) ? 1 : 0);
  set("mc_math_notation", soft(countMatches(MATH_NOTATION_RE, prompt), 5));
  set("mc_stem_numbers", soft(stemTokens.filter((t) => t.startsWith("<num")).length, 8));
  set("mc_paired", /scenario 1|statement 1/i.test(stem) ? 1 : 0);
  set("mc_short_options", lengths.every((l) => l <= 3) ? 1 : 0);
}
