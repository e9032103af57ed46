import { AppError } from "../../contract/index.js";

/** No byte arrived for the stall timeout: treated like a dropped connection. */
export class StallError extends Error {
  constructor(readonly ms: number) {
    super(`no data for ${ms} ms`);
    this.name = "StallError";
  }
}

/** The AppError for an HTTP status from Hugging Face (or a mirror) about one file. */
export function httpStatusError(
  status: number,
  context: { repo: string; fileName: string; withToken: boolean; errorCode?: string | null },
): AppError {
  const { repo, fileName, withToken, errorCode } = context;
  if (errorCode === "RepoNotFound" || errorCode === "EntryNotFound" || status === 404) {
    return new AppError(
      "NOT_FOUND",
      errorCode === "RepoNotFound"
        ? `The repository ${repo} was not found on Hugging Face. It may have been renamed, removed or made private.`
        : `${fileName} was not found in ${repo}. It may have been renamed or removed.`,
    );
  }
  if (status === 401) {
    return new AppError(
      "GATED_MODEL",
      withToken
        ? `Hugging Face refused the access token for ${repo}. Check the token in Settings, then try again.`
        : `${repo} is a gated model: it needs an access token. Add one in Settings, then try again.`,
    );
  }
  if (status === 403) {
    return new AppError(
      "GATED_MODEL",
      `Your Hugging Face account has no access to ${repo} yet. Accept its terms on the model's page on ` +
        "Hugging Face (signed in with the account of your token), then try again.",
    );
  }
  if (status === 429 || status >= 500) {
    return new AppError("NETWORK", `Hugging Face answered with an error (HTTP ${status}) for ${fileName}.`, {
      retryable: true,
    });
  }
  return new AppError("DOWNLOAD_FAILED", `Hugging Face answered HTTP ${status} for ${fileName} in ${repo}.`);
}

function codeInChain(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Maps whatever a transfer threw to an AppError. The downloader's HTTP errors carry the request headers (with the
 * token), so they are never kept as a `cause`: only their status is read.
 */
export function toDownloadError(error: unknown, context: { repo: string; fileName: string; dir: string; withToken: boolean }): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof StallError) {
    return new AppError("NETWORK", `The connection stalled while downloading ${context.fileName}.`, { retryable: true });
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number") return httpStatusError(status, context);
  const code = codeInChain(error);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new AppError(
      "DISK_FULL",
      `The disk filled up while downloading ${context.fileName}. Free up space, then resume the download.`,
      { retryable: true },
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new AppError("DOWNLOAD_FAILED", `Hearth cannot write to ${context.dir} (${code}). Check the folder's permissions.`);
  }
  return new AppError("NETWORK", `The connection was lost while downloading ${context.fileName}.`, { retryable: true });
}

/** A short human size: "1.2 GB", "350 MB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
