import type { Rule } from "./rule.js";

/**
 * Ages in German, French, Dutch, Italian and Spanish (the English forms are in patterns.ts). A number of years
 * is an age only where the sentence says so: "Ingrid Maier, 78 Jahre," (an apposition), "78-jährige",
 * "âgée de 81 ans", "84 jaar oud", "Alter: 78". "seit 30 Jahren", "il y a 10 ans", "10 jaar geleden" stay.
 */

const YEARS = "(?:Jahre|J\\.|ans|jaar|anni|años|anos)";

export const AGE_RULES: Rule[] = [
  // An apposition after a name: ", 78 Jahre," / "(81 ans)".
  { type: "AGE", re: new RegExp(`(?:,|\\()\\s?(\\d{1,3})[ \\u00a0]${YEARS}(?=\\s?[,;)]|\\.(?:\\s|$))`, "gu"), group: 1 },
  // "78-jährige", "84-jarige", "81 ans" after "âgé(e) de", "Jahre alt", "jaar oud", "anni di età", "años de edad".
  { type: "AGE", re: /\b(\d{1,3})[- ]?(?:jährige[nrms]?|jarige)\b/giu, group: 1 },
  { type: "AGE", re: /(?<![\p{L}])(?:âgée?s? de|agée?s? de|im Alter von|all'età di|a la edad de|op (?:de )?leeftijd van)\s(\d{1,3})\b/giu, group: 1 },
  { type: "AGE", re: new RegExp(`\\b(\\d{1,3})[ \\u00a0]${YEARS}[ \\u00a0](?:alt|oud|d'âge|di età|de edad)\\b`, "giu"), group: 1 },
  // A bare number in commas right after a full name: "Noah Schuster, 14, wohnhaft". Plausible, not certain.
  {
    type: "AGE",
    re: /,\s(\d{1,2}),\s(?!\d)/gu,
    group: 1,
    accept: (m, text) => /\p{Lu}\p{Ll}+(?:[- ]\p{Lu}\p{Ll}+)+$/u.test(text.slice(Math.max(0, m.index - 60), m.index)),
    confidence: 0.7,
  },
  { type: "AGE", re: /\b(?:Alter|âge|leeftijd|età|edad)\s?:\s?(\d{1,3})\b(?![.,]\d)/giu, group: 1 },
];
