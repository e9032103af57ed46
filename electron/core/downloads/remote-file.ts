import { AppError } from "../../contract/index.js";
import { httpStatusError } from "./download-errors.js";

export type RemotePart = {
  /** File name in the repository (may include folders). */
  fileName: string;
  url: string;
  sizeBytes: number;
  /** The sha256 Hugging Face publishes for the LFS object, when it does. */
  sha256: string | null;
};

const splitPattern = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** All parts of a split model (`x-00001-of-00003.gguf`...), or just the file itself. */
export function splitPartNames(fileName: string): string[] {
  const match = splitPattern.exec(fileName);
  if (!match) return [fileName];
  const parts = Number(match[2]);
  if (!(parts >= 1) || Number(match[1]) > parts) return [fileName];
  const stem = fileName.slice(0, match.index);
  return Array.from({ length: parts }, (_, i) => `${stem}-${String(i + 1).padStart(5, "0")}-of-${match[2]}.gguf`);
}

/** `"<sha256>"` (possibly weak) to the bare hash; anything that is not a sha256 (a git sha1) to null. */
export function parseLinkedEtag(value: string | null): string | null {
  const bare = value?.replace(/^W\//, "").replace(/"/g, "").trim().toLowerCase() ?? "";
  return /^[0-9a-f]{64}$/.test(bare) ? bare : null;
}

/**
 * Size and published hash of a file, from a HEAD request to its `resolve` URL. Hugging Face answers LFS files with
 * a redirect to its CDN that carries X-Linked-Size and X-Linked-ETag (the sha256), so the redirect is not followed
 * unless the size is missing.
 */
export async function probeRemoteFile(input: {
  repo: string;
  fileName: string;
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** The egress gate's fetch for this hub transfer (it checks each host and records the requests). */
  fetch: typeof fetch;
}): Promise<RemotePart> {
  const { repo, fileName, url, headers, signal, fetch } = input;
  const withToken = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  const first = await fetch(url, { method: "HEAD", headers, redirect: "manual", signal });
  const fail = (response: Response) =>
    httpStatusError(response.status, { repo, fileName, withToken, errorCode: response.headers.get("x-error-code") });

  const sha256 = parseLinkedEtag(first.headers.get("x-linked-etag"));
  let size = Number(first.headers.get("x-linked-size") ?? NaN);
  if (first.status >= 300 && first.status < 400) {
    const location = first.headers.get("location");
    if (!Number.isFinite(size) && location) {
      const target = new URL(location, url);
      // The token is for Hugging Face only, never for the CDN host it redirects to.
      const sameOrigin = target.origin === new URL(url).origin;
      const next = await fetch(target, { method: "HEAD", headers: sameOrigin ? headers : {}, signal });
      if (!next.ok) throw fail(next);
      size = Number(next.headers.get("content-length") ?? NaN);
    }
  } else if (first.ok) {
    if (!Number.isFinite(size)) size = Number(first.headers.get("content-length") ?? NaN);
  } else {
    throw fail(first);
  }
  if (!Number.isFinite(size) || size <= 0) {
    throw new AppError("DOWNLOAD_FAILED", `Hugging Face did not tell the size of ${fileName} in ${repo}.`, { retryable: true });
  }
  return { fileName, url, sizeBytes: size, sha256 };
}
