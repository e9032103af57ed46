/**
 * The one Content-Security-Policy for the renderer, in both shells: only our own scripts, no inline script,
 * no remote anything (model output cannot make the app load an image or script from the network).
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
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
