import { AppError } from "../../contract/index.js";

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

/** localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z), as WHATWG URL normalises a hostname. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  // URL writes ::ffff:127.0.0.1 as [::ffff:7f00:1]; 7f00::7fff:ffff is 127.0.0.0/8.
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
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
  return parsed.protocol === "http:" && isLoopbackHostname(parsed.hostname);
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
