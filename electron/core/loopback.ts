/**
 * Whether a hostname is this machine: localhost, 127.0.0.0/8 or ::1 (also IPv4-mapped 127.x, in the dotted form a
 * socket reports and the hex form WHATWG URL writes), with or without the brackets of a URL's IPv6 host.
 * Names under .localhost are not counted: their resolution depends on the system's resolver and hosts file.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const v4 = host.replace(/^::ffff:/, "");
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  // URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1; 7f00:0000 to 7fff:ffff is 127.0.0.0/8.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/**
 * The Host headers a loopback server on `port` answers (DNS rebinding: a page whose name now resolves to 127.0.0.1
 * still sends its own name). The browser bridge and the local API serve the same two.
 */
export function loopbackHostHeaders(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}
