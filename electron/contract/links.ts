/**
 * The one check for links that leave the app (Electron's shell.openExternal, or a new tab in browser mode).
 * Answers come from a model and may be steered by a prompt injection, so only plain web links pass:
 * no file:, javascript:, data:, or OS protocol handlers (smb:, ms-msdt:, ...), and no user:password@ that
 * could disguise the real host. Pure: used by the core, the Electron shell and the renderer alike.
 */

const maxExternalUrlLength = 4096;

/** The normalized URL to open, or null when the link must not be opened. */
export function safeExternalUrl(raw: string): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > maxExternalUrlLength) return null;
  // URL parsing silently drops tabs and newlines and trims spaces; refuse them rather than guess.
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "") return null;
  if (url.hostname === "") return null;
  return url.href;
}

export function isSafeExternalUrl(raw: string): boolean {
  return safeExternalUrl(raw) !== null;
}
