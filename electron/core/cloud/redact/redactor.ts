/**
 * The redactor: what must not leave this machine is swapped for placeholders before a prompt goes to a cloud
 * model, and put back into the answer shown here.
 *
 * Public API (stable; the cloud adapters and the store depend on it):
 * - `createRedactor({ customTerms, keep, detectors })` -> `Redactor`
 * - `redactor.redact(text, map)` -> `{ text, redactions, map, doubts }`: `map` is a new PlaceholderMap to store with the
 *   conversation; the same value always gets the same placeholder (`[EMAIL_1]`, `[PERSON_2]`) within it. `doubts`
 *   say why it may not have hidden everything (credential-like text, detectors that disagree or are unsure; doubts.ts).
 * - `redactor.restore(text, map)` -> the text with originals back, for display on this machine only.
 * - `createStreamingRestorer(map)` -> `{ push(chunk), flush() }` for streamed answers whose placeholders may be
 *   split across chunks.
 *
 * What is found: emails, phones (international too), payment cards (Luhn), IBANs (mod-97), SSNs and other
 * national ID, licence and passport numbers, account and record numbers, IPv4/IPv6, URLs and domains, API keys and
 * secrets (known prefixes, PEM blocks, JWTs, `password: ...`, high-entropy tokens), full dates and dates of birth,
 * ages, names, street addresses, organisations and places (on-device tagger, see ner.ts), and the user's own
 * terms. Bare years, weekdays, job titles and nationalities are kept: they rarely identify anyone and the answer
 * usually needs them.
 */
import { resolveOverlaps, trimSpan, type Detection, type RedactionType } from "./detection.js";
import { findDoubts, type Doubt } from "./doubts.js";
import { detectEntities } from "./ner.js";
import { detectOrganisations } from "./organisations.js";
import { dropInsidePublicBodies } from "./public-bodies.js";
import { detectCustomTerms, detectPatterns } from "./patterns.js";
import { placeholderFor, restoreText, typeOfPlaceholder, type PlaceholderMap } from "./placeholders.js";
import type { PerceptronModel } from "./perceptron.js";

export type { Detection, RedactionType } from "./detection.js";
export type { Doubt, DoubtReason } from "./doubts.js";
export { createStreamingRestorer, emptyPlaceholderMap, type PlaceholderMap } from "./placeholders.js";

/** One replaced value; `start`/`end` (exclusive) point into the text given to `redact`, where `original` stands. */
export type Redaction = { type: RedactionType; original: string; placeholder: string; start: number; end: number };

export type RedactionResult = {
  text: string;
  redactions: Redaction[];
  map: PlaceholderMap;
  /** Why the redactor is not sure it hid everything (empty when it is): Auto mode asks before sending these. */
  doubts: Doubt[];
};

export type RedactorOptions = {
  /** Client names, project code names...: matched case-insensitively as whole words. */
  customTerms?: string[];
  /** Types to let through (for example `["AGE"]` where a clinic wants the model to see ages). */
  keep?: RedactionType[];
  /**
   * More detectors, such as spans the local model found with a JSON-schema grammar, computed before `redact`.
   * Their detections rank by type like the built-in ones.
   */
  detectors?: Array<(text: string) => Detection[]>;
  /** A tagger model other than the shipped one (training and benchmarks). */
  nerModel?: PerceptronModel;
  /** Kept detections below this confidence are doubts (defaults LOW_CONFIDENCE, LOW_TAGGER_CONFIDENCE in doubts.ts). */
  lowConfidence?: number;
  lowTaggerConfidence?: number;
};

export interface Redactor {
  redact(text: string, map: PlaceholderMap): RedactionResult;
  /** Puts the originals back into a (cloud) answer for display on this machine only. */
  restore(text: string, map: PlaceholderMap): string;
}

/** Types whose values are words: once redacted in a conversation, later bare mentions are redacted too. */
const RECALLED_TYPES = new Set(["PERSON", "ORG", "ADDRESS", "LOCATION", "CUSTOM"]);

function knownValues(text: string, map: PlaceholderMap): Detection[] {
  const out: Detection[] = [];
  for (const [value, placeholder] of Object.entries(map.byValue)) {
    const type = typeOfPlaceholder(placeholder);
    if (!type || !RECALLED_TYPES.has(type) || value.length < 3) continue;
    let from = 0;
    for (let at = text.indexOf(value, from); at >= 0; at = text.indexOf(value, from)) {
      from = at + value.length;
      const before = text[at - 1] ?? " ";
      const after = text[from] ?? " ";
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue;
      out.push({ type: type as RedactionType, start: at, end: from, source: "known" });
    }
  }
  return out;
}

/**
 * The detection as a span `text.slice(start, end)` can stand for, or null: whole numbers inside the text, not
 * empty; a span that cuts a surrogate pair (half an emoji) is widened to the whole character. An extra detector
 * (the local model's pass) that returns anything else, such as -1 from an indexOf that found nothing, is ignored
 * rather than trusted, so every Redaction's offsets point at its `original` in the text given to `redact`.
 */
function normaliseSpan(text: string, d: Detection): Detection | null {
  if (!Number.isInteger(d.start) || !Number.isInteger(d.end) || d.start < 0 || d.end > text.length || d.start >= d.end) return null;
  const isLow = (i: number) => /[\uDC00-\uDFFF]/.test(text[i] ?? "");
  const isHigh = (i: number) => /[\uD800-\uDBFF]/.test(text[i] ?? "");
  const start = isLow(d.start) && isHigh(d.start - 1) ? d.start - 1 : d.start;
  const end = isLow(d.end) && isHigh(d.end - 1) ? d.end + 1 : d.end;
  return start === d.start && end === d.end ? d : { ...d, start, end };
}

const PLACEHOLDER_SHAPE = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

/**
 * Where the conversation's own placeholders already stand in `text` (an edited preview still holds them). They are
 * not values: redacting "[SECRET_1]" again would nest placeholders ("[[SECRET_2]]") that nothing restores.
 */
function placeholderSpans(text: string, map: PlaceholderMap): Array<[number, number]> {
  if (!text.includes("[")) return [];
  const known = new Set(Object.values(map.byValue));
  return [...text.matchAll(PLACEHOLDER_SHAPE)].filter((m) => known.has(m[0])).map((m) => [m.index, m.index + m[0].length]);
}

/** The parts of a detection outside the placeholders, trimmed; none when only punctuation is left. */
function outside(text: string, d: Detection, reserved: ReadonlyArray<[number, number]>): Detection[] {
  if (!reserved.some(([s, e]) => s < d.end && d.start < e)) return [d];
  let pieces: Array<[number, number]> = [[d.start, d.end]];
  for (const [rs, re] of reserved) {
    pieces = pieces.flatMap(([s, e]): Array<[number, number]> =>
      re <= s || rs >= e ? [[s, e]] : [...(rs > s ? [[s, rs] as [number, number]] : []), ...(re < e ? [[re, e] as [number, number]] : [])],
    );
  }
  return pieces.flatMap(([s, e]) => {
    const trimmed = trimSpan(text, s, e, d.type === "SECRET");
    return trimmed && /[\p{L}\p{N}]/u.test(text.slice(trimmed[0], trimmed[1])) ? [{ ...d, start: trimmed[0], end: trimmed[1] }] : [];
  });
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const customTerms = options.customTerms ?? [];
  const keep = new Set(options.keep ?? []);
  const extra = options.detectors ?? [];
  return {
    redact(text, map) {
      const next: PlaceholderMap = { byValue: { ...map.byValue }, counters: { ...map.counters } };
      const withSource = (source: string) => (d: Detection): Detection => (d.source ? d : { ...d, source });
      const reserved = placeholderSpans(text, next);
      const found = [
        ...detectPatterns(text).map(withSource("pattern")),
        ...detectCustomTerms(text, customTerms).map(withSource("custom")),
        ...knownValues(text, next),
        ...extra.flatMap((detect) => detect(text).map(withSource("extra"))),
        // Names inside a public body's name ("Bank of England", "AG München") are the body's, not a person's.
        ...dropInsidePublicBodies(text, [...detectEntities(text, options.nerModel).map(withSource("ner")), ...detectOrganisations(text)]),
      ]
        .flatMap((d) => normaliseSpan(text, d) ?? [])
        .flatMap((d) => outside(text, d, reserved));
      const detections = resolveOverlaps(text, found).filter((d) => !keep.has(d.type));
      const doubts = findDoubts(text, found.filter((d) => !keep.has(d.type)), detections, {
        lowConfidence: options.lowConfidence,
        lowTaggerConfidence: options.lowTaggerConfidence,
      }).filter((d) => outside(text, { type: "SECRET", start: d.start, end: d.end }, reserved).length > 0);
      const redactions: Redaction[] = [];
      let out = "";
      let cursor = 0;
      for (const d of detections) {
        const original = text.slice(d.start, d.end);
        const placeholder = placeholderFor(next, d.type, original);
        redactions.push({ type: d.type, original, placeholder, start: d.start, end: d.end });
        out += text.slice(cursor, d.start) + placeholder;
        cursor = d.end;
      }
      out += text.slice(cursor);
      return { text: out, redactions, map: next, doubts };
    },
    restore(text, map) {
      return restoreText(text, map);
    },
  };
}
