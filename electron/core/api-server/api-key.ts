import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Keys set for scripts and CI (--api-key, HEARTH_API_KEY) must not be guessable. */
export const MIN_API_KEY_CHARS = 16;
export const MAX_API_KEY_CHARS = 200;

/** A new key: 192 random bits, URL-safe, with a prefix that says what it is for when it turns up in a config file. */
export function generateApiKey(): string {
  return `hearth-${randomBytes(24).toString("base64url")}`;
}

export function checkApiKeyShape(key: string): string | null {
  if (key.length < MIN_API_KEY_CHARS) return `The API key must be at least ${MIN_API_KEY_CHARS} characters long.`;
  if (key.length > MAX_API_KEY_CHARS) return `The API key must be at most ${MAX_API_KEY_CHARS} characters long.`;
  if (!/^[\x21-\x7e]+$/.test(key)) return "The API key may only hold printable ASCII characters without spaces.";
  return null;
}

/** All but the last 4 characters hidden. */
export function maskApiKey(key: string): string {
  return `${"•".repeat(Math.min(12, Math.max(0, key.length - 4)))}${key.slice(-4)}`;
}

/**
 * Whether an Authorization header carries the key. Both sides are hashed first so the comparison runs in constant
 * time whatever their lengths (timingSafeEqual needs equal lengths, and comparing lengths would leak one).
 */
export function bearerMatches(header: string | undefined, key: string): boolean {
  if (typeof header !== "string") return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const given = match?.[1] ?? "";
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(key).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
