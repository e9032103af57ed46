/**
 * The one Content-Security-Policy for the renderer, in both shells: only our own scripts, no inline script,
 * no remote anything (model output cannot make the app load an image or script from the network), no frames,
 * plugins, forms or <base>, and Trusted Types so no string can ever reach an HTML or script sink.
 */
export function contentSecurityPolicy(options: { connectSrc?: string[] } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes; no remote stylesheet can be loaded.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${options.connectSrc?.length ? ` ${options.connectSrc.join(" ")}` : ""}`,
    // The app never embeds a page, a plugin or a worker; a frame is where injected content would live.
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    // innerHTML, script.src, eval and friends take only TrustedHTML/TrustedScript objects; the app needs none
    // (React builds the DOM node by node and markdown is rendered to elements), so no policy may be created.
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join("; ");
}

/** The directives of a CSP, by name (lower case), for checks that must not depend on their order. */
export function cspDirectives(csp: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}
