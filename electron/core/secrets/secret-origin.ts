import { AppError } from "../../contract/index.js";
import { isLoopbackHost } from "../loopback.js";

/**
 * Where a secret may go. A key or token is bound to the origin (scheme://host:port) it was entered for: it is sent
 * only to that origin, and only over https unless that origin is this machine (loopback), where plain http never
 * crosses a network.
 */

/** scheme://host[:port] of an http(s) URL (a default port is left out, as URL.origin does); null for anything else. */
export function secretOrigin(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
}

/** Whether a secret may be sent to this URL: https, or plain http to this machine. */
export function mayCarrySecret(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:") return true;
  return parsed.protocol === "http:" && isLoopbackHost(parsed.hostname);
}

/** Throws INSECURE_ENDPOINT before anything is sent when `url` would carry a secret in clear across a network. */
export function assertMayCarrySecret(url: string, what: string): void {
  if (mayCarrySecret(url)) return;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // the raw text is the best name there is
  }
  throw new AppError(
    "INSECURE_ENDPOINT",
    `Hearth sends ${what} only over https (or to this computer), and ${host} uses plain http. Use the server's https:// address.`,
  );
}
