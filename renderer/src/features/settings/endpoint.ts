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
