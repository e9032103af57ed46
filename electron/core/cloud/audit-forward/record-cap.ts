import { createHash } from "node:crypto";
import type { ForwardRecord } from "./forward-queue.js";

/**
 * Default size caps of one forwarded record, as the collector receives it. Syslog: 64 KiB for the whole RFC 5424
 * message (MSG-LEN of the octet-counted frame); RFC 5425 only obliges receivers to take 2 KiB and recommends 8 KiB,
 * and common collectors take 64 KiB when configured for it (syslog-ng's default log-msg-size), so larger is asked of
 * the policy (`maxRecordBytes`). HTTPS: 1 MiB for one JSON line, the batch cap, so no request body grows past it.
 * JSON Lines files: no cap unless the policy sets one (the file is this computer's copy).
 */
export const DEFAULT_SYSLOG_MAX_BYTES = 64 * 1024;
export const DEFAULT_HTTPS_MAX_BYTES = 1024 * 1024;
/** The smallest cap a policy may set: RFC 5425's minimum message size; the shortest form of a record fits in it. */
export const MIN_RECORD_BYTES = 2048;

/**
 * A record cut down to fit the cap. It says so (`truncated`), keeps the full payload's SHA-256 (`payloadSha256`,
 * what the chain link hashed) and size in UTF-8 bytes (`payloadBytes`) and as much of the payload's start as fits
 * (`payloadHead`), so the collector can match it against an export. If even that does not fit (an outsized title
 * or error in the state), the state goes too, replaced by its SHA-256 and size: the link's hash and prevHash still
 * chain, and the export's state for that seq can be checked against `stateSha256`.
 */
export type CappedRecord = ForwardRecord & {
  truncated: true;
  payloadBytes: number | null;
  payloadHead?: string;
  stateSha256?: string;
  stateBytes?: number;
  /** The cap it was cut to, in bytes. */
  limitBytes: number;
};

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The record as it may be sent under `maxBytes`, measured by `size` (the bytes the transport would write for it):
 * unchanged when it fits, else its truncated form (see CappedRecord). Never drops a record.
 */
export function fitRecord(record: ForwardRecord, maxBytes: number | null, size: (record: ForwardRecord) => number): ForwardRecord {
  if (maxBytes === null || size(record) <= maxBytes) return record;
  const payloadBytes = record.payload === null ? null : Buffer.byteLength(record.payload, "utf8");
  const cut: CappedRecord = { ...record, payload: null, truncated: true, payloadBytes, limitBytes: maxBytes };
  if (size(cut) <= maxBytes) {
    const head = record.payload === null ? "" : longestHead(record.payload, maxBytes, (text) => size({ ...cut, payloadHead: text } as CappedRecord) <= maxBytes);
    return head === "" ? cut : ({ ...cut, payloadHead: head } as CappedRecord);
  }
  // Only the fields a link cannot be matched without, each bounded.
  const bounded = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));
  const minimal: CappedRecord = {
    id: record.id.slice(0, 64),
    time: record.time,
    conversationId: bounded(record.conversationId, 64),
    conversationTitle: null,
    purpose: record.purpose,
    providerName: bounded(record.providerName, 64) ?? "",
    providerKind: record.providerKind.slice(0, 64),
    model: null,
    host: record.host.slice(0, 255),
    payload: null,
    bytesSent: record.bytesSent,
    bytesReceived: record.bytesReceived,
    tokensIn: record.tokensIn,
    tokensOut: record.tokensOut,
    costUsd: record.costUsd,
    outcome: record.outcome,
    error: null,
    durationMs: record.durationMs,
    payloadSha256: record.payloadSha256,
    erased: record.erased,
    seq: record.seq,
    entryId: record.entryId.slice(0, 64),
    event: record.event.slice(0, 32),
    prevHash: record.prevHash,
    hash: record.hash,
    state: "",
    truncated: true,
    payloadBytes,
    stateSha256: sha256(record.state),
    stateBytes: Buffer.byteLength(record.state, "utf8"),
    limitBytes: maxBytes,
  };
  // Names and hosts that JSON escaping blows up (they are the user's or a URL's): the seq and hashes identify the link.
  return size(minimal) <= maxBytes ? minimal : { ...minimal, conversationId: null, providerName: "", providerKind: "", host: "" };
}

/** The longest start of `text` that `fits` (binary search; never splits a surrogate pair). */
function longestHead(text: string, maxBytes: number, fits: (head: string) => boolean): string {
  let lo = 0;
  // A character takes at least one byte, so no head longer than the cap can fit.
  let hi = Math.min(text.length, maxBytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(headOf(text, mid))) lo = mid;
    else hi = mid - 1;
  }
  return headOf(text, lo);
}

function headOf(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, length - 1) : text.slice(0, length);
}

/** Bytes of a record as one JSON line (the JSON Lines and HTTPS transports). */
export const jsonLineBytes = (record: ForwardRecord): number => Buffer.byteLength(JSON.stringify(record), "utf8") + 1;
