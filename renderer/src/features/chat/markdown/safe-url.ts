import { safeExternalUrl } from "../../../api/contract.js";

/**
 * Only absolute http(s) links may leave an answer; everything else (javascript:, file:, data:, relative) is inert.
 * The same check as the core and the Electron shell apply, so what looks clickable is what they will open.
 */
export function safeHttpUrl(href: string | null | undefined): string | null {
  return href ? safeExternalUrl(href) : null;
}
