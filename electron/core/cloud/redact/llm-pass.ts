/**
 * The optional second redaction pass: the loaded local model reads the text after the first pass (placeholders
 * already in) and names, under a JSON-schema grammar, personal or confidential values the first pass missed.
 *
 * The model's answer is never trusted as is: each value must occur in the original text (whole words), must not be
 * a placeholder, a common word or most of a message, and the answer is bounded in items and length. A model (or a
 * message that talks to it) can therefore only add a few short hidden spans, never hide the whole message or put
 * text into the payload. On timeout or any error the first pass stands and the summary says the check did not
 * finish; it never blocks escalation for longer than its time budget.
 */
import type { Detection, RedactionType } from "./detection.js";
import { commonness } from "./lexicon.js";
import type { PlaceholderMap, Redaction, Redactor } from "./redactor.js";

/** The types the model may name (CUSTOM is the user's own list, not the model's). */
export const LLM_PASS_TYPES = [
  "PERSON",
  "EMAIL",
  "PHONE",
  "ADDRESS",
  "POSTCODE",
  "LOCATION",
  "ORG",
  "DATE",
  "AGE",
  "NATIONAL_ID",
  "ACCOUNT",
  "IBAN",
  "CARD",
  "CASE_NUMBER",
  "MEDICAL_RECORD",
  "SECRET",
  "URL",
  "IP",
] as const satisfies readonly RedactionType[];

export const MAX_ITEMS = 16;
export const MAX_VALUE_CHARS = 64;
/** Text beyond this (the oldest messages) is not shown to the model; the summary says so. */
export const MAX_TEXT_CHARS = 6000;
export const DEFAULT_TIMEOUT_MS = 20_000;

/** What the grammar allows: at most 16 items of a known type and a value of at most 64 characters. */
export const llmPassSchema = {
  type: "object",
  properties: {
    items: {
      type: "array",
      maxItems: MAX_ITEMS,
      items: {
        type: "object",
        properties: {
          type: { enum: LLM_PASS_TYPES },
          value: { type: "string", minLength: 1, maxLength: MAX_VALUE_CHARS },
        },
      },
    },
  },
} as const;

export const LLM_PASS_SYSTEM_PROMPT = [
  "You check a text before it is sent to an outside service.",
  "Values already hidden appear as placeholders such as [PERSON_1] or [EMAIL_2]; ignore them.",
  "List every remaining personal or confidential value, copied exactly as it appears in the text:",
  "names of people, email addresses, phone numbers, street addresses, postcodes, places where a person lives,",
  "organisations a person belongs to, dates of birth, ages, national identifiers, account, card and IBAN numbers,",
  "case and medical record numbers, passwords, keys and tokens, private web addresses and IP addresses.",
  "Do not list ordinary words, job titles, medical or legal terms, or anything that is not in the text.",
  'If nothing is left to hide, answer {"items": []}.',
].join(" ");

export function llmPassPrompt(text: string): string {
  return `Text to check:\n<<<\n${text}\n>>>`;
}

export type LlmFinding = { type: RedactionType; value: string };

/** Asks the model; resolves with its raw (grammar-constrained) JSON answer. */
export type AskModel = (input: { systemPrompt: string; text: string; signal: AbortSignal }) => Promise<string>;

export type SecondPassStatus = "done" | "timeout" | "failed" | "no-model" | "not-capable";

export type SecondPassSummary = {
  status: SecondPassStatus;
  /** Distinct values the pass added. */
  found: number;
  /** Values the model named that were refused (absent, placeholders, common words, too long...). */
  ignored: number;
  ms: number;
  /** One line for the preview. */
  message: string;
};

export type SecondPassResult = {
  summary: SecondPassSummary;
  /** For `createRedactor({ detectors })`: the pass's detections in each of the texts it checked. */
  detectors: Array<(text: string) => Detection[]>;
  /** Whether a redaction (from the redactor run with `detectors`) hides a value this pass found. */
  foundByModel(redaction: Pick<Redaction, "start" | "end">, text: string): boolean;
  /** The placeholders of a text's redactions that hide values this pass found (for the preview's label). */
  placeholdersFound(redactions: readonly Redaction[], text: string): Set<string>;
};

/** Thrown by an AskModel when the pass cannot run at all (no model loaded, model too small). */
export class SecondPassUnavailable extends Error {
  constructor(
    readonly status: "no-model" | "not-capable",
    message: string,
  ) {
    super(message);
  }
}

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*_\d+\]/;
const NEEDS_DIGIT = new Set<RedactionType>([
  "PHONE",
  "CARD",
  "IBAN",
  "ACCOUNT",
  "CASE_NUMBER",
  "MEDICAL_RECORD",
  "NATIONAL_ID",
  "IP",
  "AGE",
  "POSTCODE",
  "DATE",
]);
/** Function words of the app's other languages (the English ones are in the common-word lists). */
const STOPWORDS = new Set(
  (
    "der die das und oder nicht mit von für ist sind ein eine einer sie wir ich bitte sehr " +
    "le la les et ou pas avec pour est sont un une nous vous merci bien " +
    "het een en of niet met voor zijn wij jij graag " +
    "il lo gli e o non con per sono una noi voi grazie " +
    "el los las y o no con para es son uno nosotros gracias"
  ).split(" "),
);

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Parses and shape-checks the model's answer; at most MAX_ITEMS items are read, whatever the answer holds. */
export function parseAnswer(raw: string): LlmFinding[] {
  const parsed: unknown = JSON.parse(raw);
  const items = (parsed as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error("The answer has no items array.");
  const out: LlmFinding[] = [];
  for (const item of items.slice(0, MAX_ITEMS)) {
    const { type, value } = (item ?? {}) as { type?: unknown; value?: unknown };
    if (typeof value !== "string" || !(LLM_PASS_TYPES as readonly unknown[]).includes(type)) continue;
    out.push({ type: type as RedactionType, value });
  }
  return out;
}

/** Why a value is refused before it is looked for in the text; null when it may be looked for. */
export function refusal(finding: LlmFinding): string | null {
  const value = finding.value;
  if (value.length > MAX_VALUE_CHARS) return "too long";
  if (value.length < 3) return "too short";
  if (/[\r\n]/.test(value)) return "spans lines";
  if (PLACEHOLDER.test(value) || /^\[|\]$/.test(value)) return "a placeholder";
  if (value.split(/\s+/).length > 8) return "too many words";
  const hasDigit = /\p{N}/u.test(value);
  if (NEEDS_DIGIT.has(finding.type) && !hasDigit) return "no digits for its type";
  if (finding.type === "EMAIL" && !value.includes("@")) return "not an email address";
  const words = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return "no words";
  if (!hasDigit) {
    const allCommon = words.every((w) => STOPWORDS.has(w.toLowerCase()) || commonness(w) === 1);
    // Two or more capitalised words ("Rose Baker", "Mill Lane") are name-like even when each is a common word.
    const nameLike = words.length >= 2 && words.every((w) => /^\p{Lu}/u.test(w));
    if (allCommon && !nameLike) return "common words";
  }
  return null;
}

/** Whole-word occurrences of `value` in `text`: exact case first, any case when there is none. */
export function findOccurrences(text: string, value: string): Array<{ start: number; end: number; exactCase: boolean }> {
  const scan = (flags: string) => {
    const out: Array<{ start: number; end: number }> = [];
    const pattern = new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), flags);
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      // A value that starts or ends with a letter or digit must not be part of a longer word.
      if (isWordChar(value[0]) && isWordChar(text[start - 1])) continue;
      if (isWordChar(value.at(-1)) && isWordChar(text[end])) continue;
      out.push({ start, end });
    }
    return out;
  };
  const exact = scan("gu");
  if (exact.length > 0) return exact.map((o) => ({ ...o, exactCase: true }));
  return scan("giu").map((o) => ({ ...o, exactCase: false }));
}

/**
 * Maps the model's findings to detections in each original text. Occurrences inside what the first pass hid are
 * left to it; a value as long as most of a message, or findings that together would hide most of one, are refused
 * for that message.
 */
export function mapFindings(
  findings: readonly LlmFinding[],
  texts: readonly string[],
  firstPass: ReadonlyArray<ReadonlyArray<Pick<Redaction, "start" | "end">>>,
): { detections: Detection[][]; found: number; ignored: number } {
  const detections: Detection[][] = texts.map(() => []);
  const seen = new Set<string>();
  let ignored = 0;
  for (const finding of findings) {
    // "!" and "." may belong to a password or an abbreviation; list separators never do.
    const value = finding.value.trim().replace(/[,;:]+$/u, "");
    if (seen.has(value)) continue;
    seen.add(value);
    if (refusal({ ...finding, value }) !== null) {
      ignored++;
      continue;
    }
    let used = false;
    texts.forEach((text, i) => {
      const limit = Math.max(32, text.length / 2);
      if (value.length > limit) return;
      for (const o of findOccurrences(text, value)) {
        if ((firstPass[i] ?? []).some((r) => o.start < r.end && r.start < o.end)) continue;
        if (detections[i]!.some((d) => o.start < d.end && d.start < o.end)) continue;
        // Both above the Auto-asks threshold (doubts.ts): a value the model found is hidden already, so it is no
        // reason on its own to stop Auto; a match in another case is the less sure of the two.
        detections[i]!.push({ type: finding.type, start: o.start, end: o.end, confidence: o.exactCase ? 0.8 : 0.7, source: "llm" });
        used = true;
      }
    });
    if (!used) ignored++;
  }
  // Together, the model's spans may not hide most of a message either.
  texts.forEach((text, i) => {
    const covered = detections[i]!.reduce((sum, d) => sum + d.end - d.start, 0);
    if (covered > Math.max(32, text.length / 2)) {
      ignored++;
      detections[i] = [];
    }
  });
  const found = new Set(detections.flatMap((list, i) => list.map((d) => texts[i]!.slice(d.start, d.end))));
  return { detections, found: found.size, ignored };
}

/** The first pass over each text, threading the placeholder map as the real redaction will. */
export function firstPassOver(texts: readonly string[], map: PlaceholderMap, redactor: Redactor) {
  let current = map;
  return texts.map((text) => {
    const result = redactor.redact(text, current);
    current = result.map;
    return result;
  });
}

/** The texts after the first pass, newest last, cut to MAX_TEXT_CHARS from the end. */
export function textForModel(redacted: readonly string[]): { text: string; cut: boolean } {
  const joined = redacted.filter((t) => t.trim()).join("\n\n");
  if (joined.length <= MAX_TEXT_CHARS) return { text: joined, cut: false };
  const tail = joined.slice(joined.length - MAX_TEXT_CHARS);
  const space = tail.search(/\s/);
  return { text: space >= 0 && space < 200 ? tail.slice(space + 1) : tail, cut: true };
}

export async function runSecondPass(input: {
  texts: readonly string[];
  map: PlaceholderMap;
  /** The redactor the first pass is, with the same options as the final redaction (less the extra detectors). */
  firstPass: Redactor;
  ask: AskModel;
  timeoutMs?: number;
  /** Which texts the model reads (those that have not left yet); its finds are hidden in all texts. Default: all. */
  read?: readonly boolean[];
}): Promise<SecondPassResult> {
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const first = firstPassOver(input.texts, input.map, input.firstPass);
  const { text, cut } = textForModel(first.map((r) => r.text).filter((_, i) => input.read?.[i] ?? true));
  const finish = (status: SecondPassStatus, message: string, mapped?: ReturnType<typeof mapFindings>): SecondPassResult => {
    const byText = new Map<string, Detection[]>();
    input.texts.forEach((t, i) => {
      const found = mapped?.detections[i] ?? [];
      if (found.length > 0) byText.set(t, [...(byText.get(t) ?? []), ...found]);
    });
    const foundByModel = (r: Pick<Redaction, "start" | "end">, t: string) =>
      (byText.get(t) ?? []).some((d) => r.start < d.end && d.start < r.end);
    return {
      summary: { status, found: mapped?.found ?? 0, ignored: mapped?.ignored ?? 0, ms: Math.round(performance.now() - started), message },
      detectors: byText.size > 0 ? [(t) => byText.get(t) ?? []] : [],
      foundByModel,
      placeholdersFound: (redactions, t) => new Set(redactions.filter((r) => foundByModel(r, t)).map((r) => r.placeholder)),
    };
  };
  if (!text.trim()) return finish("done", "The local model's second check found nothing more to hide.");

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("The second check ran out of time."));
      resolve("timeout");
    }, timeoutMs);
  });
  const seconds = Math.round(timeoutMs / 100) / 10;
  try {
    // The ask keeps running (and cleans up) in the background after a timeout; the preview does not wait for it.
    const asked = input.ask({ systemPrompt: LLM_PASS_SYSTEM_PROMPT, text, signal: controller.signal });
    asked.catch(() => undefined);
    const raw = await Promise.race([asked, timedOut]);
    if (raw === "timeout") {
      return finish("timeout", `The local model's second check did not finish within ${seconds} s; only the first pass hid values.`);
    }
    const mapped = mapFindings(parseAnswer(raw), input.texts, first.map((r) => r.redactions));
    const scope = cut ? ` (it read the last ${MAX_TEXT_CHARS} characters)` : "";
    const message =
      mapped.found > 0
        ? `The local model's second check found ${mapped.found} more ${mapped.found === 1 ? "value" : "values"} to hide${scope}.`
        : `The local model's second check found nothing more to hide${scope}.`;
    return finish("done", message, mapped);
  } catch (error) {
    if (error instanceof SecondPassUnavailable) return finish(error.status, error.message);
    if (controller.signal.aborted) {
      return finish("timeout", `The local model's second check did not finish within ${seconds} s; only the first pass hid values.`);
    }
    return finish("failed", "The local model's second check failed; only the first pass hid values.");
  } finally {
    clearTimeout(timer);
  }
}
