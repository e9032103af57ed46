import type { IncomingMessage } from "node:http";
import { loopbackHostHeaders } from "../loopback.js";
import { ApiError } from "./api-error.js";

/**
 * DNS rebinding: a web page on evil.example whose name now resolves to 127.0.0.1 reaches this server with
 * `Host: evil.example:PORT`. Only the loopback names of this very port are served.
 */
export function checkHost(request: IncomingMessage, port: number): void {
  const host = (request.headers.host ?? "").toLowerCase();
  if (!loopbackHostHeaders(port).includes(host)) {
    throw new ApiError(403, "This server answers only requests addressed to 127.0.0.1 or localhost on its own port.", "invalid_request_error", "host_not_allowed");
  }
}

/** CORS headers for an allowed web page; null when the request has no Origin (curl, editors, scripts). */
export function corsHeaders(request: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> | null {
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const normalized = origin.toLowerCase().replace(/\/+$/, "");
  if (!allowedOrigins.some((allowed) => allowed.toLowerCase().replace(/\/+$/, "") === normalized)) {
    // A page from any other origin gets nothing it could read, preflight or not.
    throw new ApiError(403, "Web pages from this origin may not call the local API; allow the origin in Hearth's Settings.", "invalid_request_error", "origin_not_allowed");
  }
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-headers": "authorization, content-type, openai-organization, openai-project, x-stainless-os, x-stainless-lang, x-stainless-package-version, x-stainless-runtime, x-stainless-runtime-version, x-stainless-arch, x-stainless-retry-count, x-stainless-timeout",
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
