import { PRIORITY, type Detection, type RedactionType } from "./detection.js";

/**
 * One structured detector: a regular expression for candidates, an optional validator that throws out
 * look-alikes, and the group that holds the value when the match also takes its context ("Case No. ...").
 * `confidence` (below 1) marks a match that is only format-plausible; Auto mode may ask before sending it.
 * `overrides` names the types this detection corrects when it covers them: a validated NHS number found by the
 * generic phone pattern too is an identifier, not a phone, whatever the type priority says.
 */
export type Rule = {
  type: RedactionType;
  re: RegExp;
  accept?: (match: RegExpExecArray, text: string) => boolean;
  group?: number;
  confidence?: number | ((match: RegExpExecArray, text: string) => number | undefined);
  overrides?: readonly RedactionType[];
  /** After a rejected match, look again from the next character rather than after the match. */
  rescan?: boolean;
  /** A cheap test the text must pass before the (costlier) rule runs at all: its keywords' stems. */
  when?: RegExp;
};

export const digitsOf = (s: string): string => s.replace(/\D/g, "");

/** The `n` characters before `index`, for context words ("sort code", "NHS", "tel"). */
export const before = (text: string, index: number, n: number): string => text.slice(Math.max(0, index - n), index);

/** The `n` characters after `index`. */
export const after = (text: string, index: number, n: number): string => text.slice(index, index + n);

type Found = Detection & { overrides?: readonly RedactionType[] };

/** Runs the rules over `text`; every detection carries `source: "pattern"`. */
export function runRules(text: string, rules: readonly Rule[]): Detection[] {
  const found: Found[] = [];
  for (const rule of rules) {
    if (rule.when && !rule.when.test(text)) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      if (rule.accept && !rule.accept(m, text)) {
        // A rejected keyword match may hide a good one starting inside it ("fascicolo R.G. 8821/2023").
        if (rule.rescan) rule.re.lastIndex = m.index + 1;
        continue;
      }
      let start = m.index;
      let end = m.index + m[0].length;
      if (rule.group !== undefined) {
        const value = m[rule.group];
        if (value === undefined || value.length === 0) continue;
        start = m.index + m[0].lastIndexOf(value);
        end = start + value.length;
      }
      const confidence = typeof rule.confidence === "function" ? rule.confidence(m, text) : rule.confidence;
      const d: Found = { type: rule.type, start, end, source: "pattern" };
      if (confidence !== undefined && confidence < 1) d.confidence = confidence;
      if (rule.overrides) d.overrides = rule.overrides;
      found.push(d);
    }
  }
  return applyOverrides(found);
}

/**
 * Drops the detections a validated, more specific detection corrects (see `Rule.overrides`): those it covers,
 * give or take a few characters (the generic phone pattern may have run on into the next number).
 */
function applyOverrides(found: Found[]): Detection[] {
  const rank = (t: RedactionType): number => PRIORITY.indexOf(t);
  const overlapsClosely = (d: Found, c: Found): boolean =>
    d.start < c.end && d.end > c.start && Math.max(0, c.start - d.start) + Math.max(0, d.end - c.end) <= 10;
  const corrects = (c: Found, d: Found): boolean =>
    c !== d && c.confidence === undefined && (c.overrides?.includes(d.type) ?? false) && overlapsClosely(d, c);
  // Two detections that would correct each other: only the higher-priority type acts, so one always stays.
  const acts = (c: Found, d: Found): boolean => corrects(c, d) && !(corrects(d, c) && rank(d.type) < rank(c.type));
  // The same span found twice (by its layout and by its keyword) keeps the surer finding.
  const surer = (c: Found, d: Found): boolean =>
    c !== d && c.type === d.type && c.start === d.start && c.end === d.end && ((c.confidence ?? 1) > (d.confidence ?? 1) || ((c.confidence ?? 1) === (d.confidence ?? 1) && found.indexOf(c) < found.indexOf(d)));
  // Duplicates go first: otherwise a dropped duplicate could still correct a third detection that in turn corrects
  // the kept one, and all three would vanish ("USt-IdNr. DE281937465" found as an ACCOUNT and twice as an ID).
  // The kept one corrects what any of its duplicates would have.
  const distinct = found
    .filter((d) => !found.some((c) => surer(c, d)))
    .map((d): Found => {
      const same = found.filter((c) => c.type === d.type && c.start === d.start && c.end === d.end && c.overrides);
      const overrides = [...new Set(same.flatMap((c) => c.overrides ?? []))];
      return overrides.length > 0 ? { ...d, overrides } : d;
    });
  return distinct
    .filter((d) => !distinct.some((c) => acts(c, d)))
    .map(({ overrides: _overrides, ...d }) => d);
}

/**
 * A case-insensitive regex source for `words` (letters become [Aa] classes), so a keyword can be matched in any
 * case inside an expression whose value part stays case-sensitive (short uppercase codes like "BvR", "O").
 */
export function ci(words: string): string {
  // Escapes (\. \s \b) stay as they are; the source must not use \p{...} or {n,m} after a letter class.
  return words.replace(/\\.|\p{L}|'/gu, (ch) => {
    if (ch.startsWith("\\")) return ch;
    if (ch === "'") return "['’]"; // typed apostrophes are often curly: "carte d’identité"
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    return lo === up ? ch : `[${up}${lo}]`;
  });
}

// "No.", "Nr.", "n°", "n.º", "número", "#": what may stand between a keyword and its value.
const NUMBER_WORD = ci("n|no|nr|nro|num|núm|number|nummer|numéro|numero|número");
export const NUMBER_MARK = `(?:[\\s.:#(-]*(?<![A-Za-zÀ-ÿ])(?:${NUMBER_WORD})(?![A-Za-z])\\.?\\s?[°º]?|\\s*[°º#])`;
// A value: tokens joined by single spaces (or " / ") only when what follows holds a digit or a short code.
const TOKEN = "[A-Za-z0-9](?:[A-Za-z0-9./:_-]*[A-Za-z0-9])?";
const JOIN = "(?:[ \\u00a0][/–-])?[ \\u00a0](?=\\d|[A-Z][A-Za-z]{0,3}[ /]?(?:[A-Z]{1,3} )?\\d)";
export const REFERENCE_VALUE = `([A-Z0-9](?:[A-Za-z0-9./:_-]*[A-Za-z0-9])?(?:${JOIN}${TOKEN}){0,5})`;

const STATED_END = /[ \u00a0](?:is|ist|lautet|est|è|es|was|war|era|le|il|el|het)[\s.:#°º=-]*$/u;

/**
 * A reference number after its keyword ("Case No. 2:24-cv-01873", "Aktenzeichen 3 O 123/24", "MRN 4827193").
 * `strong` keywords may be followed by the value directly; `weak` ones ("case", "claim") need "No."/"n°"/"#".
 * The value needs `minDigits` digits, and its first token a digit or a short upper-case code.
 */
export function referenceRule(type: RedactionType, strong: string, weak: string, minDigits: number, overrides?: readonly RedactionType[]): Rule {
  // A few words may stand between keyword and value when "No." / ":" follows them ("Carta d'identità elettronica
  // n. CA48210BX"), or when the value has the shape of a reference (digits with - or /: "Aktenzeichen der
  // Gegenseite WF-2025-447812").
  // Words, not codes: lower-case ones ("è il") or capitalised ones of three letters or more ("Gegenseite").
  const words = "(?:[ \\u00a0](?:\\p{Ll}[\\p{L}'’-]{0,19}|\\p{Lu}[\\p{Ll}'’-]{2,19})(?![\\p{L}])){1,3}?";
  const shaped = "(?=[A-Z]{0,5}-?\\d[\\dA-Z]*[-/]\\d)";
  // Or when the last of them states it: "my NINO is QQ 12 34 56 C", "Kundennummer lautet 4417720", "est le 1 80 ...".
  const stated = `${words}(?<=[ \\u00a0](?:is|ist|lautet|est|è|es|was|war|era|le|il|el|het|ending in|endet auf|finissant par|eindigend op|che termina con|terminada en))`;
  const keywords = [
    strong ? `(?:${strong})(?![A-Za-z0-9À-ÿ])(?:${NUMBER_MARK}|${words}(?:${NUMBER_MARK}|\\s*:)|${words}[ \\u00a0]${shaped}|${stated})?` : "",
    weak ? `(?:${weak})(?![A-Za-z0-9À-ÿ])(?:${words})?${NUMBER_MARK}` : "",
  ].filter(Boolean);
  // The keyword ends at a word boundary: "MRN" is not the start of "MRNLNE93E70D612Z".
  const re = new RegExp(`(?<![A-Za-z0-9À-ÿ])(?:${keywords.join("|")})[\\s.:#°º=-]*\\(?${REFERENCE_VALUE}`, "gu");
  return {
    type,
    re,
    group: 1,
    rescan: true,
    accept: (m) => {
      const value = m[1] ?? "";
      const first = value.split(/[ \u00a0]/)[0] ?? "";
      // Stated with "is" / "est", a short plain number is a count ("the docket is 120 pages"), not a reference.
      const head = m[0].slice(0, m[0].length - value.length);
      if (STATED_END.test(head) && /^\d{1,4}$/.test(first) && digitsOf(value).length < 5) return false;
      return digitsOf(value).length >= minDigits && (/^\d/.test(first) || /^[A-Z]{1,4}(?:[./:-]|$)/.test(first) || /^[A-Z]{1,4}\d/.test(first));
    },
    ...(overrides ? { overrides } : {}),
  };
}
