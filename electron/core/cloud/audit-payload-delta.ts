import { createHash } from "node:crypto";

/**
 * A payload stored as what it adds to an earlier one: `ops` rebuild it in order, a [start, length] pair copying from
 * the base payload's text and a string inserted as is. `base` is the SHA-256 of the base payload's full text (the
 * hash its chain link recorded), so the reference names exactly what it copies from.
 */
export type PayloadDelta = { v: 1; base: string; ops: Array<[number, number] | string> };

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

// A chat body repeats its history message by message: cutting after each `}` and newline makes each message (or a
// piece of one) a segment that the next request's body holds again, wherever it moved to.
const segmentsOf = (text: string): string[] => text.match(/[^}\n]*[}\n]|[^}\n]+$/g) ?? [];

/** Segments shorter than this are inserted rather than copied: a reference would be longer than the text. */
const MIN_COPY = 24;

/** How `payload` is rebuilt from `base` (exact: `applyDelta(base, diffPayload(base, payload))` is `payload`). */
export function diffPayload(base: string, payload: string): PayloadDelta {
  const offsets = new Map<string, number>();
  let at = 0;
  for (const segment of segmentsOf(base)) {
    if (segment.length >= MIN_COPY && !offsets.has(segment)) offsets.set(segment, at);
    at += segment.length;
  }
  const ops: PayloadDelta["ops"] = [];
  for (const segment of segmentsOf(payload)) {
    const from = segment.length >= MIN_COPY ? offsets.get(segment) : undefined;
    const last = ops.at(-1);
    if (from === undefined) {
      if (typeof last === "string") ops[ops.length - 1] = last + segment;
      else ops.push(segment);
    } else if (Array.isArray(last) && last[0] + last[1] === from) last[1] += segment.length;
    else ops.push([from, segment.length]);
  }
  return { v: 1, base: sha256(base), ops };
}

export function applyDelta(base: string, delta: PayloadDelta): string {
  let text = "";
  for (const op of delta.ops) text += typeof op === "string" ? op : base.slice(op[0], op[0] + op[1]);
  return text;
}

/** The stored delta, read back; null when the text is not one (a damaged or edited row). */
export function parseDelta(text: string): PayloadDelta | null {
  try {
    const value = JSON.parse(text) as Partial<PayloadDelta>;
    if (value?.v !== 1 || typeof value.base !== "string" || !Array.isArray(value.ops)) return null;
    const valid = value.ops.every(
      (op) =>
        typeof op === "string" ||
        (Array.isArray(op) && op.length === 2 && op.every((n) => Number.isInteger(n) && n >= 0)),
    );
    return valid ? (value as PayloadDelta) : null;
  } catch {
    return null;
  }
}
