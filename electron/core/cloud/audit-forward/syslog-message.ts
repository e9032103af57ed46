import type { ForwardRecord } from "./forward-queue.js";

/**
 * RFC 5424 facility 13 ("log audit"), severity 6 (informational); 5 (notice) for a held request the user refused
 * (nothing left); 4 (warning) for a failed or stopped request.
 */
const FACILITY = 13;

/** Private enterprise number reserved for documentation (RFC 5612): the structured data's namespace. */
const SD_ID = "hearth@32473";

/** PRINTUSASCII, without spaces, at most `max` characters; "-" (the NILVALUE) when nothing is left. */
function header(value: string, max: number): string {
  const clean = value.replace(/[^!-~]/g, "").slice(0, max);
  return clean === "" ? "-" : clean;
}

/** An SD-PARAM value: '"', '\' and ']' are escaped (RFC 5424 section 6.3.3). */
const paramValue = (value: string): string => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/**
 * One record as an RFC 5424 message: the timestamp is the entry's, the structured data names the chain link, and
 * the message is the record's JSON (UTF-8, marked with a BOM as the RFC asks for UTF-8 text).
 */
export function syslogMessage(record: ForwardRecord, options: { hostname: string; appName: string; procId: number }): string {
  const severity = record.outcome === "ok" ? 6 : record.outcome === "declined" ? 5 : 4;
  const time = new Date(record.time > 0 ? record.time : Date.now()).toISOString();
  // A record cut to the size cap (record-cap.ts) says so here too, for collectors that filter on structured data.
  const truncated = (record as { truncated?: unknown }).truncated === true ? ' truncated="true"' : "";
  const sd = `[${SD_ID} seq="${record.seq}" event="${paramValue(header(record.event, 32))}" hash="${paramValue(record.hash)}"${truncated}]`;
  return `<${FACILITY * 8 + severity}>1 ${time} ${header(options.hostname, 255)} ${header(options.appName, 48)} ${header(String(options.procId), 128)} audit ${sd} \uFEFF${JSON.stringify(record)}`;
}

/** Octet-counting framing (RFC 6587 section 3.4.1): the message's length in bytes, a space, the message. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.byteLength} `, "ascii"), body]);
}
