/**
 * Hashed n-gram features ("hashing trick": buckets, no vocabulary ships). Two kinds:
 * - word n-grams: unigrams and bigrams of the question's words and unigrams of the options. Strong on subjects
 *   seen in training, but they learn subject vocabulary, which does not carry to unseen subjects.
 * - shape n-grams: the same text with every content word replaced by its shape (length class, capitalised or
 *   not) and only function words, question words and number shapes kept; unigrams to trigrams. They see the
 *   form of a question ("which of the following is NOT", "W of the W W") without its subject.
 * Which kind (if any) a head reads is chosen by nested cross-validation (scripts/training/router/selection.ts).
 */

import { fnv1a } from "./hash.js";

export type NgramKind = "none" | "shape" | "words";
export const NGRAM_KINDS: readonly NgramKind[] = ["none", "shape", "words"];

export type Hashed = { index: Uint32Array; value: Float32Array };

const EMPTY: Hashed = { index: new Uint32Array(0), value: new Float32Array(0) };

export const FUNCTION_WORDS = new Set(
  (
    "a an the of in on at to for from by with about as into onto over under between among through during before after " +
    "above below up down out off than then and or but nor not no yes so if unless whether because although though while " +
    "when where who whom whose which what why how is are was were be been being am do does did done has have had having " +
    "can could may might must shall should will would this that these those it its they them their he she his her him " +
    "we us our you your i me my one ones all any both each either neither none some most least more less few many much " +
    "only also even just very too following true false correct incorrect best likely except always never same other " +
    "another such there here following statement statements answer answers option options choose select"
  ).split(" "),
);

function shapeOf(original: string): string {
  const token = original.toLowerCase();
  if (FUNCTION_WORDS.has(token) || token.startsWith("<num") || !/^\p{L}/u.test(token)) return token;
  const cap = /^\p{Lu}/u.test(original) ? "C" : "W";
  return token.length <= 4 ? `${cap}s` : token.length <= 8 ? `${cap}m` : `${cap}l`;
}

/** Presence of each bucket, L2-normalised so long and short prompts weigh the same. */
function finish(buckets: Set<number>): Hashed {
  if (buckets.size === 0) return EMPTY;
  const index = Uint32Array.from(buckets).sort();
  const value = new Float32Array(index.length).fill(1 / Math.sqrt(index.length));
  return { index, value };
}

/**
 * Word unigrams and bigrams of the question, unigrams of the options, each hashed twice: once shared, once
 * prefixed with the prompt's format (multiple choice or free-form), so the model can learn what a word means in
 * each format without one drowning the other.
 */
export function wordNgrams(stemTokens: readonly string[], optionTokens: readonly string[][], hashBits: number): Hashed {
  const mask = (1 << hashBits) - 1;
  const format = optionTokens.length >= 2 ? "M" : "F";
  const buckets = new Set<number>();
  const add = (key: string) => {
    buckets.add(fnv1a(key) & mask);
    buckets.add(fnv1a(format + key) & mask);
  };
  for (let i = 0; i < stemTokens.length; i++) {
    add(`w ${stemTokens[i]}`);
    if (i > 0) add(`b ${stemTokens[i - 1]} ${stemTokens[i]}`);
  }
  for (const toks of optionTokens) for (const t of toks) add(`o ${t}`);
  return finish(buckets);
}

/**
 * Shape unigrams, bigrams and trigrams of the question and shape unigrams and bigrams of each option.
 * Takes the tokens as written (tokenize with keepCase), for capitalisation.
 */
export function shapeNgrams(stemCased: readonly string[], optionCased: readonly string[][], hashBits: number): Hashed {
  const mask = (1 << hashBits) - 1;
  const buckets = new Set<number>();
  const add = (key: string) => buckets.add(fnv1a(key) & mask);
  const stem = stemCased.map(shapeOf);
  for (let i = 0; i < stem.length; i++) {
    add(`s ${stem[i]}`);
    if (i > 0) add(`s ${stem[i - 1]} ${stem[i]}`);
    if (i > 1) add(`s ${stem[i - 2]} ${stem[i - 1]} ${stem[i]}`);
  }
  for (const option of optionCased) {
    const opt = option.map(shapeOf);
    for (let i = 0; i < opt.length; i++) {
      add(`o ${opt[i]}`);
      if (i > 0) add(`o ${opt[i - 1]} ${opt[i]}`);
    }
    add(`ol ${Math.min(opt.length, 12)}`);
  }
  return finish(buckets);
}

export { EMPTY as EMPTY_HASHED };
