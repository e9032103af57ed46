import type { Detection } from "./detection.js";
import { wordClasses } from "./lexicon.js";
import { isTitle } from "./ner-rules.js";
import { formEnd, isCap, isFunc, joined, nameAfter, properWord, span, type Tok } from "./organisation-names.js";
import { CUE_ARTICLES } from "./organisation-words.js";
import { isCalendarWord, isEverydayEnglishWord, isKnownPlace } from "./word-lists.js";

/**
 * Organisations named by what is said about them rather than by their own words: someone works there ("I work for
 * Chemical Abstracts Service", "arbeitet bei der Nordlicht Spedition"), or it has an office or a website.
 */

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
export function byCue(text: string, toks: readonly Tok[]): Detection[] {
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

export function byOwnedNoun(text: string, toks: readonly Tok[]): Detection[] {
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
