import { foreignRank, isCommonWordAtAll, isEverydayWord, isKnownName, isKnownPlace } from "./word-lists.js";

/**
 * Lists of capitalised headings or topics ("Télétravail, Restauration collective, Mutuelle, Formation continue",
 * "Opening, Mededelingen, Jaarplan, Rondvraag"): each item starts with a capital because it is a heading, not
 * because it is a name. Where most items open with an everyday word of some language, the items that are not a
 * known name or place are headings, and the tagger's guesses on them are dropped.
 */

// An item: a capitalised word and up to three more ("Formazione obbligatoria", "Sicurezza sul lavoro", "Remote Working").
const ITEM = "\\p{Lu}[\\p{L}\\p{M}'’-]*(?:[ \\u00a0][\\p{Ll}\\p{Lu}][\\p{L}\\p{M}'’-]*){0,3}";
const SEP = "(?:[ \\u00a0]*[,;][ \\u00a0]*|[ \\u00a0]+(?:and|or|und|oder|et|ou|en|of|e|o|y)[ \\u00a0]+)";
const LIST = new RegExp(`(?<![\\p{L}\\p{N}.-])${ITEM}(?:${SEP}${ITEM}){2,}`, "gu");
const SPLIT = new RegExp(SEP, "u");
// Kinds of street: an item holding one is part of an address, not a heading.
const STREET_TYPE =
  /(?:^|[ \u00a0])(?:Lane|Road|Street|Avenue|Drive|Close|Crescent|Gardens|Terrace|Square|Way|Rue|Avenue|Boulevard|Allée|Chemin|Place|Via|Viale|Piazza|Corso|Calle|Avenida|Paseo|Plaza|Straat|Laan|Plein|Weg|Platz|Gasse|Allee)$|(?:straße|strasse|weg|gasse|straat|laan|gracht)$/iu;

/** Whether a word reads as an ordinary word of some language rather than a name. */
function everyday(word: string): boolean {
  return !isKnownName(word) && !isKnownPlace(word) && (isCommonWordAtAll(word) || isEverydayWord(word) || foreignRank(word) !== undefined);
}

/** Character ranges of heading items in `text` (see above); empty when it holds no such list. */
export function headingItemRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  LIST.lastIndex = 0;
  for (const m of text.matchAll(LIST)) {
    const items: Array<[number, string]> = [];
    let offset = 0;
    for (const part of m[0].split(SPLIT)) {
      const at = m[0].indexOf(part, offset);
      items.push([m.index + at, part]);
      offset = at + part.length;
    }
    // Only a list announced as headings: after a colon, in a sentence that speaks of titles, an agenda, minutes or
    // sentences to write ("Transforme ces titres en phrases : ..."). "Previous employers: Summit Bank, Evergreen
    // Logistics" and "representatives from Northwind Traders, Contoso" are firms, however ordinary their words.
    if (!announcedAsHeadings(text, m.index)) continue;
    // "3 Church Lane, Little Sodbury, BS37 6QA": a number beside it or a street word in it makes an address line.
    const near = text.slice(Math.max(0, m.index - 4), m.index) + text.slice(m.index + m[0].length, m.index + m[0].length + 5);
    if (/\d/.test(near) || items.some(([, item]) => STREET_TYPE.test(item))) continue;
    const firsts = items.map(([, item]) => item.split(/[ \u00a0]/u)[0] ?? "");
    const common = firsts.filter(everyday).length;
    const named = firsts.filter((w) => isKnownName(w) || isKnownPlace(w)).length;
    // Half the items or more read as words, or four or more items, one a word and none a known name or place
    // ("Opening, Mededelingen, Jaarplan, Rondvraag": compounds no list has): a topic list. Names are listed too
    // ("Anna, Marco e Luis"); those stay.
    if (items.length < 3 || (common * 2 < items.length && !(items.length >= 4 && common >= 1 && named === 0))) continue;
    // No item a known name or place: the whole list is headings, the separators between them too (a guess may
    // run across several items: "Presidente, Bilancio consuntivo, Nomine").
    if (named === 0) {
      ranges.push([m.index, m.index + m[0].length]);
      continue;
    }
    for (const [start, item] of items) {
      const first = item.split(/[ \u00a0]/u)[0] ?? "";
      if (isKnownName(first) || isKnownPlace(first)) continue;
      ranges.push([start, start + item.length]);
    }
  }
  return ranges;
}

// Words that announce a list of headings: titles, topics, agenda items, minutes, sentences, a text to write or to
// summarise.
const HEADING_CUE =
  /(?:title|titel|titre|titol|títul|heading|headline|überschrift|kopje|rubri|topic|thema|themen|sujet|argoment|tema|agenda|tagesordnung|ordre du jour|ordine del giorno|orden del día|minutes|notulen|protokoll|procès-verbal|verbale|acta\b|sentence|sätze|satz|phrase|zinnen|frase|points|punkte|punten|punti|puntos|items|section|abschnitt|gliederung|capitol|apartado|newsletter|nieuwsbrief|rundschreiben|rundmail|circolare|circular|bullet|stichpunkt|outline|sommaire|indice|índice|inhalt|zusammenfass|fasse[^.:]*zusammen|résum|riassum|resum|vat[^.:]*samen)/iu;

/** Whether the list starting at `start` follows a colon in a sentence that announces headings (HEADING_CUE). */
function announcedAsHeadings(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 160), start);
  const colon = /:[ \u00a0]*$/u.exec(before);
  if (!colon) return false;
  const sentence = before.slice(0, colon.index);
  const stop = Math.max(sentence.lastIndexOf(". "), sentence.lastIndexOf("\n"), sentence.lastIndexOf("? "), sentence.lastIndexOf("! "));
  return HEADING_CUE.test(stop >= 0 ? sentence.slice(stop + 1) : sentence);
}

/** Whether [start, end) lies inside one of the ranges. */
export function insideRanges(ranges: ReadonlyArray<[number, number]>, start: number, end: number): boolean {
  return ranges.some(([s, e]) => s <= start && end <= e);
}
