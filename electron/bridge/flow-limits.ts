import { WS_MAX_PAYLOAD_BYTES } from "../contract/ws-protocol.js";
import { AppError } from "../contract/errors.js";

/**
 * How much one browser-mode client may make the bridge hold. Together they bound the bridge's memory:
 *
 *   per connection  ≤ MAX_IN_FLIGHT_BYTES of requests being served (held parsed: about 2× their frame size, as
 *                     a frame has at most MAX_JSON_TOKENS tokens, json-shape.ts)
 *                   + one frame being read (≤ WS_MAX_PAYLOAD_BYTES)
 *                   + MAX_UNREAD_BYTES of replies and events the client has not read, plus the one being sent
 *   in all          ≤ MAX_CONNECTIONS × that, about 8 × 64 MiB ≈ 512 MiB above the core's own memory in the
 *                     worst case (every connection hostile at once); one flooding connection holds at most
 *                     about 64 MiB. test/integration/bridge-flood.test.ts measures the whole process under real
 *                     floods: peak RSS stays under idle + 256 MB (the rest is garbage V8 has not collected yet).
 */
export const MAX_CONNECTIONS = 8;
/** Calls one connection may have running at once; more get a BUSY reply (retryable). */
export const MAX_IN_FLIGHT_CALLS = 32;
/** Calls the Electron window may have running at once over IPC (it has a handful; a compromised one gets BUSY). */
export const MAX_IPC_IN_FLIGHT_CALLS = 64;
/** Request bytes one connection may have running at once; a lone request (≤ the frame limit) is always admitted. */
export const MAX_IN_FLIGHT_BYTES = WS_MAX_PAYLOAD_BYTES;
/** Stop reading a connection's requests while this much of what we sent it is unread... */
export const PAUSE_READING_AT_BYTES = 1024 * 1024;
/** ...and read again once it is down to this. */
export const RESUME_READING_AT_BYTES = 256 * 1024;
/**
 * A client this far behind (replies and events it has not read) is closed rather than buffered for: a browser
 * tab reads everything at once, so only a stuck or hostile client gets here; it can reconnect. Checked before
 * each message is queued, so one reply of any size (a big audit export) still goes to a client that keeps up.
 */
export const MAX_UNREAD_BYTES = 16 * 1024 * 1024;

export function busyError(): AppError {
  return new AppError("BUSY", "Hearth is busy with too many requests from this window. Try again in a moment.", {
    retryable: true,
  });
}
