/**
 * Word-problem features of a free-form prompt: how many reasoning steps and how much bookkeeping the problem is
 * likely to need (sentences carrying quantities, kinds of arithmetic, units and conversions, relations between
 * quantities, ages, totals to work back from, chains of "of the remaining"). Zero for prompts without at least
 * two quantities, and for multiple-choice prompts.
 */

import { countMatches, soft, tokenize } from "./text.js";
import type { DenseSpec } from "./features.js";

/**
 * Free-form (word problem) difficulty: how many reasoning steps the problem is likely to need. Zero for
 * multiple-choice prompts.
 */
export const WORD_PROBLEM: DenseSpec[] = [
  { name: "wp_sentences", label: "long word problem", notable: soft(5, 8) },
  { name: "wp_quantities", label: "many quantities to combine", notable: soft(5, 8) },
  { name: "wp_magnitude", label: "large numbers", notable: 0.5 },
  { name: "wp_fractions", label: "fractions or percentages", notable: soft(1, 3) },
  { name: "wp_decimals", label: "decimal numbers", notable: soft(1, 3) },
  { name: "wp_step_cues", label: "several calculation steps", notable: soft(3, 8) },
  { name: "wp_rates", label: "rates (per, each, every)", notable: soft(1, 4) },
  { name: "wp_money", label: null },
  { name: "wp_size", label: "many reasoning steps", notable: soft(8, 16) },
  { name: "wp_number_sentences", label: null },
  { name: "wp_sentence_count", label: null },
  { name: "wp_numeral_count", label: null },
  { name: "wp_distinct_numerals", label: null },
  { name: "wp_magnitude_spread", label: null },
  { name: "wp_operation_kinds", label: "several kinds of arithmetic", notable: 4 / 6 },
  { name: "wp_unit_families", label: null },
  { name: "wp_unit_mentions", label: null },
  { name: "wp_time_conversion", label: "unit conversions" },
  { name: "wp_comparison", label: null },
  { name: "wp_ratio_chain", label: null },
  { name: "wp_conditions", label: null },
  { name: "wp_question_length", label: null },
  { name: "wp_words", label: null },
  { name: "wp_names", label: null },
  { name: "wp_fractional_values", label: null },
  { name: "wp_largest", label: null },
  { name: "wp_relations", label: "relations between quantities (more than, twice as many)", notable: Math.log1p(2) },
  { name: "wp_ages", label: "ages to work out" },
  { name: "wp_total_given", label: "works back from a total" },
  { name: "wp_remaining_chain", label: "fractions of what remains" },
  { name: "wp_clock", label: "clock times" },
  // 1 for a word problem: quantities, a question about a quantity, no code. Chooses the word-problem model.
  { name: "word_problem", label: null },
];

/** The word-problem model's features: every word-problem feature but the flag that selects it. */
export const WORD_PROBLEM_HEAD_FEATURES: readonly string[] = WORD_PROBLEM.map((s) => s.name).filter((n) => n !== "word_problem");

const NUMBER_WORDS = new Set(
  "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred thousand million twice double triple half third quarter dozen".split(" "),
);
const STEP_WORDS = new Set(
  "twice times more less fewer remaining rest left after then total altogether difference each every per percent half double triple spent gave sold bought lost".split(" "),
);
const SENTENCE_SPLIT_RE = /[.?!]+(?:\s|$)/;
const DIGITS_RE = /\d+(?:[.,]\d+)*/g;
const RATE_RE = /\b(?:per|each|every|an hour|a day|a week|a month|a year)\b|\/(?:hour|day|week|minute|month|year|kg|lb|mile|km|gb)\b/gi;
const FRACTION_RE = /\d+\/\d+|\b(?:half|third|quarter|fifth|thirds|quarters)\b/gi;
const PERCENT_RE = /%|\bpercent\b/gi;
/** Kinds of arithmetic a word problem's wording implies (one test each; the count of kinds present is a feature). */
const OPERATION_CUES: readonly RegExp[] = [
  /\b(?:more than|total|altogether|plus|sum|combined|in all|together|added?|increase[ds]?|gain(?:s|ed)?|raise[ds]?)\b/i,
  /\b(?:less than|fewer|left|remain(?:s|ing)?|rest|spent|spend|gave|give|lost|lose|difference|minus|decrease[ds]?|discount|off|sold|used|ate|eaten)\b/i,
  /\b(?:times|twice|double[ds]?|triple[ds]?|each|per|every|dozens?)\b/i,
  /\b(?:split|share[ds]?|equally|half|halves|divided?|average|evenly|among|between)\b|\/(?!\d)/i,
  /%|\bpercent(?:age)?\b/i,
  /\d+\/\d+|\b(?:third|quarter|fifth|sixth|tenth)s?\b/i,
];
const UNIT_FAMILIES: readonly { time: boolean; re: RegExp }[] = [
  { time: true, re: /\b(?:hours?|minutes?|seconds?|days?|weeks?|months?|years?)\b/gi },
  { time: false, re: /\b(?:feet|foot|inch(?:es)?|yards?|miles?|meters?|km|kilometers?|cm)\b/gi },
  { time: false, re: /\b(?:pounds?|lbs?|ounces?|oz|kg|kilograms?|grams?|tons?)\b/gi },
  { time: false, re: /\b(?:gallons?|liters?|litres?|ml|cups?|quarts?|pints?)\b/gi },
  { time: false, re: /\$|\b(?:dollars?|cents?)\b/gi },
];
const NUMBER_SENTENCE_RE = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half|double|dozen)\b/i;
const COMPARISON_RE = /\bhow (?:many|much) (?:more|less|fewer|longer|shorter|older|younger|faster)\b/i;
const RATIO_RE = /%|\bpercent\b|\d+\/\d+|\b(?:half|third|quarter|fifth)s?\b/gi;
const CONDITION_RE = /\b(?:if|but|instead|except|after|before|remaining|rest|then|while|until)\b/gi;
const NAME_RE = /(?<![.?!]\s)\b[A-Z][a-z]+\b/g;
// Relations between unknowns ("12 fewer books than Fawn", "twice as many as"), ages, a total stated before the
// question (so the parts must be worked back from it), fractions of what remains, clock times: the structures
// that make a word problem need more than a straight chain of operations.
const RELATION_RE =
  /\b(?:more|fewer|less|older|younger|taller|longer|shorter|faster|slower|cheaper|heavier)\s+(?:\w+\s+){0,2}than\b|\btimes (?:as|more)\b|\bas (?:many|much|long|old|fast)\b|\b(?:twice|thrice|half) (?:as|the)\b/gi;
const AGE_RE = /\byears? old\b|\bages?\b|\bolder\b|\byounger\b/i;
const TOTAL_RE = /\b(?:total|in all|altogether|together|combined|sum|overall)\b/i;
const REMAINING_RE = /\bof (?:the|his|her|their|its|what (?:is|was)) (?:remaining|rest|remainder|left)\b/gi;
const CLOCK_RE = /\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\bo'clock\b/gi;
const PROGRAMMING_RE = /\b(?:implement|function|algorithm|program|code|python|javascript|sql)\b/i;
const QUANTITY_ASK_RE = /\?|\b(?:how (?:many|much|long|far|old)|what (?:is|was|are|will)|calculate|compute|find|determine|work out)\b/i;

const NOT_NAMES = new Set(
  "The A An If He She They It His Her How What In On At Each Every After Then But When There This That One Two For".split(" "),
);

/** Word-problem difficulty of a free-form prompt (stem = the whole prompt) that has at least two quantities. */
export function wordProblemFeatures(prompt: string, tokens: readonly string[], hasCode: boolean, set: (name: string, value: number) => void): void {
  const sentenceList = prompt.split(SENTENCE_SPLIT_RE).filter((s) => s.trim().length > 0);
  const sentences = sentenceList.length;
  const numerals = prompt.match(DIGITS_RE) ?? [];
  const values = numerals.map((n) => Number(n.replace(/,/g, ""))).filter(Number.isFinite);
  const distinct = new Set(values).size;
  let numberWords = 0;
  let steps = 0;
  for (const t of tokens) {
    if (NUMBER_WORDS.has(t)) numberWords++;
    if (STEP_WORDS.has(t)) steps++;
  }
  // Only prompts with quantities to work with are word problems; prose and chat get none of these features.
  if (distinct + numberWords < 2) return;
  let largest = 0;
  for (const v of values) largest = Math.max(largest, v);
  set("wp_sentences", soft(sentences, 8));
  set("wp_quantities", soft(distinct + numberWords, 8));
  set("wp_magnitude", values.length ? Math.log10(1 + largest) / 6 : 0);
  set("wp_fractions", soft(countMatches(FRACTION_RE, prompt) + countMatches(PERCENT_RE, prompt), 3));
  set("wp_decimals", soft(numerals.filter((n) => n.includes(".")).length, 3));
  set("wp_step_cues", soft(steps, 8));
  set("wp_rates", soft(countMatches(RATE_RE, prompt), 4));
  set("wp_money", prompt.includes("$") ? 1 : 0);
  set("wp_size", soft(distinct + numberWords + steps, 16));

  // How many steps and how much bookkeeping the problem needs: sentences carrying quantities, the spread of the
  // numbers' magnitudes, kinds of arithmetic implied, units (and time-unit conversions), comparisons, ratio
  // chains, conditions, and how many named people or things to track.
  set("wp_number_sentences", Math.log1p(sentenceList.filter((s) => NUMBER_SENTENCE_RE.test(s)).length));
  set("wp_sentence_count", Math.log1p(sentences));
  set("wp_numeral_count", Math.log1p(values.length));
  set("wp_distinct_numerals", Math.log1p(distinct));
  const positive = values.filter((v) => v > 0);
  let smallest = Infinity;
  for (const v of positive) smallest = Math.min(smallest, v);
  set("wp_magnitude_spread", positive.length ? (Math.log10(largest) - Math.log10(smallest)) / 4 : 0);
  set("wp_operation_kinds", OPERATION_CUES.filter((re) => re.test(prompt)).length / OPERATION_CUES.length);
  let families = 0;
  let unitMentions = 0;
  const timeUnits = new Set<string>();
  for (const { time, re } of UNIT_FAMILIES) {
    const found = prompt.match(re) ?? [];
    if (found.length) families++;
    unitMentions += found.length;
    if (time) for (const u of found) timeUnits.add(u.toLowerCase().replace(/s$/, ""));
  }
  set("wp_unit_families", families / 3);
  set("wp_unit_mentions", Math.log1p(unitMentions));
  set("wp_time_conversion", timeUnits.size > 1 ? 1 : 0);
  set("wp_comparison", COMPARISON_RE.test(prompt) ? 1 : 0);
  set("wp_ratio_chain", Math.log1p(countMatches(RATIO_RE, prompt)));
  set("wp_conditions", Math.log1p(countMatches(CONDITION_RE, prompt)));
  const last = sentenceList[sentenceList.length - 1];
  set("wp_question_length", Math.log1p(last ? tokenize(last).length : 0));
  set("wp_words", Math.log1p(tokens.length));
  set("wp_names", Math.log1p(new Set((prompt.match(NAME_RE) ?? []).filter((w) => !NOT_NAMES.has(w))).size));
  set("wp_fractional_values", Math.log1p(values.filter((v) => !Number.isInteger(v)).length));
  set("wp_largest", Math.log10(1 + Math.max(0, largest)) / 6);

  set("wp_relations", Math.log1p(countMatches(RELATION_RE, prompt)));
  set("wp_ages", AGE_RE.test(prompt) ? 1 : 0);
  set("wp_total_given", sentenceList.slice(0, -1).some((s) => TOTAL_RE.test(s)) ? 1 : 0);
  set("wp_remaining_chain", Math.log1p(countMatches(REMAINING_RE, prompt)));
  set("wp_clock", Math.log1p(countMatches(CLOCK_RE, prompt)));
  set("word_problem", !hasCode && !PROGRAMMING_RE.test(prompt) && QUANTITY_ASK_RE.test(prompt) ? 1 : 0);
}
