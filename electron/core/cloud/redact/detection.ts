/** What the redactor can replace. The app shows the type in the placeholder: `[EMAIL_1]`, `[PERSON_2]`. */
export type RedactionType =
  | "EMAIL"
  | "PHONE"
  | "CARD"
  | "IBAN"
  | "NATIONAL_ID"
  | "ACCOUNT"
  | "CASE_NUMBER"
  | "MEDICAL_RECORD"
  | "POSTCODE"
  | "IP"
  | "URL"
  | "SECRET"
  | "PERSON"
  | "ADDRESS"
  | "ORG"
  | "LOCATION"
  | "DATE"
  | "AGE"
  | "CUSTOM";

/**
 * A found span of sensitive text, before placeholders are given out. `end` is exclusive.
 * `confidence` (0..1, absent = certain) lets Auto mode ask instead of sending when a detector is unsure;
 * `source` names the detector ("pattern", "ner", "custom", "known", "llm") for disagreement checks and tests.
 */
export type Detection = { type: RedactionType; start: number; end: number; confidence?: number; source?: string };

/** Earlier wins when two detections overlap; validated patterns beat the statistical tagger. */
export const PRIORITY: readonly RedactionType[] = [
  "SECRET",
  "EMAIL",
  "URL",
  "IBAN",
  "CARD",
  "NATIONAL_ID",
  "IP",
  "DATE",
  "CASE_NUMBER",
  "MEDICAL_RECORD",
  "PHONE",
  "ACCOUNT",
  "POSTCODE",
  "AGE",
  "CUSTOM",
  "PERSON",
  "ORG",
  "ADDRESS",
  "LOCATION",
];

const CONNECTORS = /^(?:and|or|of|the|at|in|on|und|et|y|&|-)$/i;

/**
 * Overlaps resolved by priority: a lower-priority detection keeps only the parts nobody above it claimed
 * (so a name that runs into an email still loses its non-email part), and is dropped if nothing word-like is left.
 */
export function resolveOverlaps(text: string, detections: Detection[]): Detection[] {
  const rank = (t: RedactionType): number => PRIORITY.indexOf(t);
  const ordered = [...detections].sort(
    (a, b) => rank(a.type) - rank(b.type) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken: Detection[] = [];
  for (const d of ordered) {
    let pieces: Array<[number, number]> = [[d.start, d.end]];
    for (const t of taken) {
      const next: Array<[number, number]> = [];
      for (const [s, e] of pieces) {
        if (t.end <= s || t.start >= e) next.push([s, e]);
        else {
          if (t.start > s) next.push([s, t.start]);
          if (t.end < e) next.push([t.end, e]);
        }
      }
      pieces = next;
    }
    const cut = pieces.length !== 1 || pieces[0]?.[0] !== d.start || pieces[0]?.[1] !== d.end;
    for (const [s, e] of pieces) {
      const trimmed = trimSpan(text, s, e, d.type === "SECRET");
      if (!trimmed) continue;
      const rest = text.slice(trimmed[0], trimmed[1]);
      // What is left of a cut span may be only the word that joined two others ("Avalara and Onvia").
      if (cut && CONNECTORS.test(rest)) continue;
      if (/[\p{L}\p{N}]/u.test(rest)) {
        taken.push({ ...d, start: trimmed[0], end: trimmed[1] });
      }
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/**
 * Drops surrounding whitespace and separator punctuation so placeholders sit cleanly in the sentence.
 * `keepMarks`: a trailing "!" or "?" stays, since in a password ("Winter2025!") it is part of the secret.
 */
export function trimSpan(text: string, start: number, end: number, keepMarks = false): [number, number] | null {
  let s = start;
  let e = end;
  // A bracket stays when its partner is inside the span: "(217) 555-0143".
  const strippable = (ch: string, from: number, to: number): boolean =>
    /[\s,;:!?"'[\]{}<>|]/u.test(ch) ||
    (ch === "(" && !text.slice(from, to).includes(")")) ||
    (ch === ")" && !text.slice(from, to).includes("("));
  while (s < e && strippable(text[s] ?? "", s + 1, e)) s++;
  while (e > s && strippable(text[e - 1] ?? "", s, e - 1) && !(keepMarks && /[!?]/.test(text[e - 1] ?? ""))) e--;
  return s < e ? [s, e] : null;
}
