import fs from "node:fs";
import { AppError } from "../../contract/index.js";

/** Codes that always mean the disk (or the user's quota) has no room: SQLite's own, and Node's errno. */
const NO_SPACE_CODES = new Set(["SQLITE_FULL", "ENOSPC", "EDQUOT"]);
/**
 * SQLite I/O errors a full disk can also cause (growing the WAL index, extending, truncating or syncing a file).
 * They have other causes too, so they count as "no space" only when the disk is in fact (nearly) full.
 */
const MAYBE_NO_SPACE_CODES = new Set([
  "SQLITE_IOERR_WRITE",
  "SQLITE_IOERR_SHMSIZE",
  "SQLITE_IOERR_TRUNCATE",
  "SQLITE_IOERR_FSYNC",
  "SQLITE_IOERR_SHMMAP",
]);
/** Below this much free space, an I/O error while writing is taken to be the full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

export const DISK_FULL_MESSAGE =
  "The disk is full, so Hearth could not save this. Free some disk space, then try again; everything saved before is safe.";

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  return codes;
}

function nearlyFull(dir: string): boolean {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/** Whether `error` (or its cause) means there is no room left on the disk of `dir`. */
export function isDiskFull(error: unknown, dir?: string): boolean {
  const codes = codesOf(error);
  if (codes.some((code) => code === "DISK_FULL" || NO_SPACE_CODES.has(code))) return true;
  return dir !== undefined && codes.some((code) => MAYBE_NO_SPACE_CODES.has(code)) && nearlyFull(dir);
}

/** The one mapping of "no space left" failures to the user-facing DISK_FULL; anything else comes back unchanged. */
export function asDiskFull(error: unknown, dir?: string, message = DISK_FULL_MESSAGE): unknown {
  if (error instanceof AppError && error.code === "DISK_FULL") return error;
  if (!isDiskFull(error, dir)) return error;
  return new AppError("DISK_FULL", message, { retryable: true, cause: error });
}

/**
 * Makes every method of `target`'s class report a full disk as DISK_FULL, whichever statement (or commit) hit it,
 * so callers handle one code instead of SQLite's many.
 */
export function reportDiskFullAsAppError(target: object, dir: string): void {
  const proto = Object.getPrototypeOf(target) as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
    if (name === "constructor" || typeof method !== "function") continue;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]): unknown {
        try {
          return (method as (...a: unknown[]) => unknown).apply(this, args);
        } catch (error) {
          throw asDiskFull(error, dir);
        }
      },
    });
  }
}
