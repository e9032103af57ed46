import { before, digitsOf, type Rule } from "./rule.js";

/**
 * Phone numbers, national and international (+44 20 7946 0958, +49 (0)30 1234567, 0033 1 23 45 67 89), with
 * their extension: 345-899-3560x4587, (898)666-3621x0135, "ext. 12", "Durchwahl -34", "poste 123", "toestel 12".
 */

// Groups joined by a space, dot, dash, bracket or a spaced slash or dash ("0911 / 43 12 55 - 210").
const BASE = "(?:\\+|00)?(?:\\(\\d{1,5}\\)|\\d{1,5})(?:(?:[ .\\u00a0-]|\\) ?| ?\\(| [/-] )?\\d{1,5}\\)?){0,6}";
const EXTENSION_WORD =
  "(?:x|X|ext\\.?|Ext\\.?|extn\\.?|extension|Extension|extensión|Extensión|estensione|Durchwahl|DW|Dw\\.?|App\\.|Apparat|poste|Poste|toestel|Toestel|tst\\.|interno|Interno|int\\.|Int\\.|ext|#)";
const EXTENSION = `(?:(?:,?[ \\u00a0]?${EXTENSION_WORD}[ \\u00a0]?[-.:]?[ \\u00a0]?)(\\d{1,6}))?`;

// Numbers named as something else: "Order 4482913", "ISBN 0-306-40615-2", "build 20240511".
const NOT_A_PHONE =
  /(?:\bCVE-|\b(?:lot|batch|Charge|lote|lotto|partij|order|orders|ISBN|ISSN|DOI|ticket|issue|PR|pull request|build|version|item|SKU|part|article|artikel|bestellung|bestellnummer|commande|bestelling|ordine|pedido|art\.)\s*(?:no\.?|nr\.?|number|#|n°|:)?\s*)$/i;
const PHONE_WORD_BEFORE = /(?:tel|phone|fon|fax|mobil|handy|ruf|call|téléphone|portable|telefoon|telefono|cellulare|teléfono|móvil)\.?\s*:?\s*$/i;
// "1 234 567 euros": an amount, whatever its grouping.
const AMOUNT_AFTER = /^\s?(?:€|\$|£|euros?\b|EUR\b|USD\b|GBP\b|CHF\b|dollars?\b|francs?\b|Franken\b|pounds?\b)/i;

/** ISBN-10 (mod 11, X = 10) or ISBN-13 (978/979, weights 1 and 3). */
export function isbnValid(raw: string): boolean {
  const s = raw.replace(/[\s-]/g, "").toUpperCase();
  if (/^97[89]\d{10}$/.test(s)) {
    const sum = [...s].reduce((acc, ch, i) => acc + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0 && /-/.test(raw);
  }
  if (/^\d{9}[\dX]$/.test(s) && /-/.test(raw)) {
    const sum = [...s].reduce((acc, ch, i) => acc + (ch === "X" ? 10 : Number(ch)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  return false;
}

export const PHONE_RULES: Rule[] = [
  // German and Austrian area code and number joined by a bare slash: "0171/1234567", "089/12345-67".
  {
    type: "PHONE",
    re: /(?<![\w/.-])0\d{2,4}\/\d{3,9}(?:[- ]\d{1,5})?(?![\w/]|[.,]\d)/g,
    accept: (m, text) => digitsOf(m[0]).length >= 9 || PHONE_WORD_BEFORE.test(before(text, m.index, 20)),
  },
  {
    type: "PHONE",
    re: new RegExp(`(?<![\\w+])(${BASE})${EXTENSION}(?![\\w])`, "g"),
    accept: (m, text) =>
      isPhoneLike(m[1] ?? "") &&
      !isbnValid(m[1] ?? "") &&
      !NOT_A_PHONE.test(before(text, m.index, 20)) &&
      !AMOUNT_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 12)),
  },
];

/** Enough digits for a phone (the extension not counted: 1920x1080 is a resolution), not a decimal or an amount. */
export function isPhoneLike(candidate: string): boolean {
  const digits = digitsOf(candidate);
  if (digits.length < 7 || digits.length > 15) return false;
  const seps = candidate.replace(/[\d+]/g, "");
  if (seps === "") return true; // a bare run of 7-15 digits
  if (/^\.$/.test(seps)) return false; // a decimal number
  if (/^\d{1,3}( \d{3})* 000$/.test(candidate)) return false; // an amount grouped in thousands: 1 000 000
  return true;
}
