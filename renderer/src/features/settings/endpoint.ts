export const defaultHuggingFaceEndpoint = "https://huggingface.co";

export type EndpointCheck =
  | { ok: true; value: string; /** Plain http to another machine: the token would cross the network unencrypted. */ insecure: boolean }
  | { ok: false; message: string };

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\./.test(hostname);
}

/** Checks a Hugging Face endpoint as typed; the value is normalised (no trailing slash) for saving. */
export function checkEndpoint(input: string): EndpointCheck {
  const text = input.trim();
  if (text === "") return { ok: false, message: "Enter the address of Hugging Face or of your organisation's mirror." };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "Enter a full address, such as https://huggingface.co or https://hf-mirror.example.org." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "The address must start with https:// (or http://)." };
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the address; put an access token in the field below." };
  if (url.search || url.hash) return { ok: false, message: "The address cannot have a query (?…) or a fragment (#…)." };
  const value = url.href.replace(/\/+$/, "");
  return { ok: true, value, insecure: url.protocol === "http:" && !isLoopback(url.hostname) };
}

/** scheme://host[:port] of an http(s) address (default port left out), as the core binds secrets to it; null otherwise. */
export function originOf(address: string): string | null {
  try {
    const url = new URL(address.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * What saving this form would do to the stored token, said before Save: the core removes a token whose endpoint
 * moves to another host (scheme, host or port), and refuses to keep one for plain http to another machine.
 */
export function tokenChange(
  settings: { hasHuggingFaceToken: boolean; huggingFaceTokenOrigin: string | null },
  check: EndpointCheck,
  typedToken: string,
): { error: string | null; warning: string | null } {
  if (!check.ok) return { error: null, warning: null };
  const newOrigin = originOf(check.value);
  if (typedToken.trim() !== "") {
    return check.insecure
      ? { error: `Hearth sends access tokens only over https (or to this computer). Use the https:// address of ${new URL(check.value).host}.`, warning: null }
      : { error: null, warning: null };
  }
  if (settings.hasHuggingFaceToken && settings.huggingFaceTokenOrigin !== null && newOrigin !== settings.huggingFaceTokenOrigin) {
    return {
      error: null,
      warning: `Saving removes the stored access token: it was entered for ${settings.huggingFaceTokenOrigin}, and ${newOrigin} is another host. Enter it again for the new host.`,
    };
  }
  return { error: null, warning: null };
}
