import type { EscalationProposal, PayloadMessage, RedactionInfo } from "../../api/contract.js";

/** A payload message's text cut into plain runs and the placeholders that stand for redacted values. */
export type PayloadSegment =
  | { kind: "text"; text: string }
  | {
      kind: "redaction";
      placeholder: string;
      type: string;
      /** The hidden value, for this machine's preview only; null for a placeholder the core did not report. */
      original: string | null;
      /** The local model's second check found it (the first pass had missed it). */
      foundByLocalModel?: boolean;
    };

// Types may hold underscores ([API_KEY_1], [MEDICAL_RECORD_2]), as the core's placeholders do.
const placeholderPattern = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

type Span = { start: number; end: number; placeholder: string; type: string; original: string | null; foundByLocalModel?: boolean };

/**
 * Splits one payload message into text and redaction marks. The core reports each placeholder once per message,
 * at its offsets in the payload text as sent (the contract's RedactionInfo); those are used when they hold the
 * placeholder they name. Any other known placeholder in the text (the same value again, text the user edited in
 * the preview since) is found by its shape, so no placeholder is ever shown unmarked. Joining the segments' text
 * gives back `content` exactly.
 */
export function splitRedactions(content: string, messageIndex: number, redactions: readonly RedactionInfo[]): PayloadSegment[] {
  const known = new Map<string, RedactionInfo>();
  for (const r of redactions) if (!known.has(r.placeholder)) known.set(r.placeholder, r);

  const spans: Span[] = [];
  const overlaps = (start: number, end: number) => spans.some((s) => start < s.end && s.start < end);
  for (const r of redactions) {
    if (r.messageIndex !== messageIndex || r.end <= r.start) continue;
    if (content.slice(r.start, r.end) !== r.placeholder || overlaps(r.start, r.end)) continue;
    spans.push({ start: r.start, end: r.end, placeholder: r.placeholder, type: r.type, original: r.original, foundByLocalModel: r.foundByLocalModel });
  }
  for (const match of content.matchAll(placeholderPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    const info = known.get(match[0]);
    if (!info || overlaps(start, end)) continue;
    spans.push({ start, end, placeholder: match[0], type: info.type, original: info.original, foundByLocalModel: info.foundByLocalModel });
  }
  spans.sort((a, b) => a.start - b.start);

  const segments: PayloadSegment[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) segments.push({ kind: "text", text: content.slice(at, span.start) });
    segments.push({
      kind: "redaction",
      placeholder: span.placeholder,
      type: span.type,
      original: span.original,
      ...(span.foundByLocalModel ? { foundByLocalModel: true } : {}),
    });
    at = span.end;
  }
  if (at < content.length || segments.length === 0) segments.push({ kind: "text", text: content.slice(at) });
  return segments;
}

export function segmentsText(segments: readonly PayloadSegment[]): string {
  return segments.map((s) => (s.kind === "text" ? s.text : s.placeholder)).join("");
}

/** "EMAIL" → "email address"; unknown types are shown lower-cased. */
export function redactionTypeLabel(type: string): string {
  const labels: Record<string, string> = {
    EMAIL: "email address",
    PHONE: "phone number",
    PERSON: "name",
    NAME: "name",
    ADDRESS: "address",
    LOCATION: "place",
    ORG: "organisation",
    ORGANIZATION: "organisation",
    IBAN: "bank account (IBAN)",
    CARD: "card number",
    CREDIT_CARD: "card number",
    SSN: "social security number",
    ID: "ID number",
    URL: "web address",
    IP: "IP address",
    DATE: "date",
    SECRET: "secret or key",
    API_KEY: "API key",
  };
  return labels[type] ?? type.toLowerCase().replace(/_/g, " ");
}

/**
 * How many distinct values the proposal hides, for its summary line: the distinct placeholders marked in the
 * payload as shown, so the count always matches the marks (a redaction reported for text no longer in the
 * payload is not counted; every placeholder that is marked is).
 */
export function countHiddenValues(proposal: Pick<EscalationProposal, "payload" | "redactions">): number {
  const marked = new Set<string>();
  proposal.payload.forEach((message, index) => {
    for (const segment of splitRedactions(message.content, index, proposal.redactions)) {
      if (segment.kind === "redaction") marked.add(segment.placeholder);
    }
  });
  return marked.size;
}

/** "1,234 bytes": the exact count, as the provider will receive it. */
export function formatExactBytes(bytes: number): string {
  return `${bytes.toLocaleString("en-US")} ${bytes === 1 ? "byte" : "bytes"}`;
}

/** Whether the user's edits changed anything, so Save is only offered when it would. */
export function payloadChanged(before: readonly PayloadMessage[], after: readonly PayloadMessage[]): boolean {
  return before.length !== after.length || before.some((m, i) => m.content !== after[i]?.content || m.role !== after[i]?.role);
}
