/**
 * The main process's own gate before a link goes to the OS browser. The renderer asks first, but a compromised
 * renderer could skip its dialog: so main checks the link again (http/https only) and asks the user itself,
 * showing the exact, normalized URL, with Cancel as the default. Nothing here imports `electron`.
 */
import { AppError } from "./contract/errors.js";
import { safeExternalUrl } from "./contract/links.js";

export type ExternalLinkDeps = {
  /** Shows the native question; resolves true only when the user chose to open the link. */
  confirm: (url: string) => Promise<boolean>;
  /** Hands the URL to the OS (shell.openExternal). */
  open: (url: string) => Promise<void>;
};

export function createExternalLinkOpener(deps: ExternalLinkDeps): (url: string) => Promise<void> {
  let asking = false;
  return async (url) => {
    const safe = safeExternalUrl(url);
    if (safe === null) throw new AppError("INVALID_INPUT", "Only web links (http or https) can be opened.");
    // One question at a time: a page cannot stack dialogs until the user clicks through one by mistake.
    if (asking) throw new AppError("BUSY", "Hearth is already asking about another link. Answer that first.", { retryable: true });
    asking = true;
    let accepted: boolean;
    try {
      accepted = await deps.confirm(safe);
    } finally {
      asking = false;
    }
    if (accepted) await deps.open(safe);
  };
}

/** The wording of the native dialog, kept here so it is tested with the rest. */
export function externalLinkQuestion(url: string): { message: string; detail: string; buttons: [string, string] } {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // safeExternalUrl already parsed it; keep the whole URL if this ever fails.
  }
  return {
    message: `Open ${host} in your browser?`,
    detail: `${url}\n\nThis link leaves Hearth. Open it only if you expected it.`,
    buttons: ["Cancel", "Open link"],
  };
}
