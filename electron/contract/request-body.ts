import type { EscalationProposal, PayloadMessage } from "./schemas.js";

/**
 * A proposal carries its payload and the exact request body, which holds every payload message again (JSON-escaped).
 * Near the 4M-character payload limit two copies no longer fit one 16 MiB bridge frame, so the body travels with
 * each message's text replaced by a reference, and is rebuilt from the payload byte for byte where it is shown or sent.
 *
 * A reference is U+0000, the message's index, U+0000: a JSON text never holds a raw U+0000 (JSON.stringify writes
 * \u0000), so a reference cannot be confused with anything the body says.
 */
const REFERENCE = /\u0000(\d{1,6})\u0000/g;
/** Shorter texts are left in place: a reference would save next to nothing. */
const MIN_SHARED_CHARS = 64;

const escaped = (content: string): string => JSON.stringify(content).slice(1, -1);

/** The body with each long message's text (as JSON-escaped in it) replaced by a reference; `body` if none applies. */
export function shareRequestBody(body: string, payload: readonly PayloadMessage[]): string {
  if (body.includes("\u0000")) return body;
  let shared = body;
  payload.forEach((message, index) => {
    const text = escaped(message.content);
    if (text.length < MIN_SHARED_CHARS) return;
    const at = shared.indexOf(text);
    if (at >= 0) shared = `${shared.slice(0, at)}\u0000${index}\u0000${shared.slice(at + text.length)}`;
  });
  // Only ever a lossless change: if the body cannot be rebuilt exactly, it travels whole.
  return expandRequestBody(shared, payload) === body ? shared : body;
}

/** The body with every reference replaced by its message's JSON-escaped text. */
export function expandRequestBody(body: string, payload: readonly PayloadMessage[]): string {
  if (!body.includes("\u0000")) return body;
  return body.replace(REFERENCE, (whole, index: string) => {
    const message = payload[Number(index)];
    return message ? escaped(message.content) : whole;
  });
}

/** The exact HTTP request body a proposal would send. */
export function requestBodyOf(proposal: Pick<EscalationProposal, "requestBody" | "payload">): string {
  return expandRequestBody(proposal.requestBody, proposal.payload);
}
