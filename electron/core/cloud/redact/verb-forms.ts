import { foreignRank, isGermanNoun } from "./word-lists.js";

/**
 * Whether a capitalised word opening a sentence reads as a verb of German, French, Dutch, Italian or Spanish:
 * an imperative or present form whose infinitive is a listed word ("Formuliere" → formulieren, "Rédige" → rédiger,
 * "Vergelijk" → vergelijken, "Beschrijf" → beschrijven, "Compara" → comparar, "Spiega" → spiegare). Requests to
 * an assistant open with one far more often than with a bare name.
 */
export function looksLikeVerbForm(word: string): boolean {
  const w = word.toLowerCase();
  if (w.length < 3 || !/^\p{L}+$/u.test(w)) return false;
  // German Wikipedia lists infinitives the spoken list lacks ("ordnen", "entwerfen").
  return infinitives(w).some((c) => c !== w && (foreignRank(c) !== undefined || (c.endsWith("en") && isGermanNoun(c))));
}

function infinitives(w: string): string[] {
  const last = w.at(-1) ?? "";
  const stem = w.slice(0, -1);
  const out = [
    // German: formuliere → formulieren, ordne → ordnen, schreib → schreiben, erkläre → erklären
    `${w}n`, `${w}en`, `${stem}en`,
    // German -ern and -eln verbs: erläutere → erläutern, ändere → ändern, wechsle → wechseln
    `${stem}n`, `${w.replace(/le$/u, "eln")}`,
    // Dutch: vergelijk → vergelijken, beschrijf → beschrijven, vat → vatten, lees → lezen
    `${stem}${last === "f" ? "v" : last === "s" ? "z" : last}en`, `${w}${last}en`, `${w.replace(/([aeou])\1(\p{L})$/u, "$1$2")}en`,
    // German strong verbs: entwirf → entwerfen, lies → lesen
    `${w.replace(/i(\p{L}+)$/u, "e$1")}en`, `${w.replace(/ie(\p{L}+)$/u, "e$1")}en`,
    // French: rédige → rédiger, explique → expliquer, établis → établir, traduis → traduire
    `${w}r`, `${w.replace(/s$/u, "r")}`, `${w.replace(/s$/u, "re")}`, `${w.replace(/ez$/u, "er")}`,
    // Italian: spiega → spiegare, scrivi → scrivere, riassumi → riassumere, proponi → proporre
    `${w}re`, `${stem}are`, `${stem}ere`, `${stem}ire`, `${w.replace(/oni$/u, "orre")}`,
    // Spanish: compara → comparar, redacta → redactar, escribe → escribir, resume → resumir
    `${stem}ar`, `${stem}er`, `${stem}ir`,
  ];
  return out;
}

/** "Cos'è", "Qu'est", "Dov'è", "C'est": a contraction of a question word or pronoun with a verb, never a name. */
export function isVerbContraction(word: string): boolean {
  return /^\p{L}{1,4}['’](?:è|e|est|a|ha|hai|il|un|una|on|ont|ai)$/iu.test(word);
}
