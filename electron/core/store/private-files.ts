import fs from "node:fs";

/** Owner-only modes for everything in the data folder: conversations and provider payloads are nobody else's. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and its parents) owner-only, and tightens it if it already existed with looser bits. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates an empty owner-only file where none exists, so that SQLite (which creates files 0644 less the umask, and
 * gives -wal/-shm the mode of the database) never opens a world-readable one. An existing file is only tightened.
 */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, "wx", PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  tighten(file, PRIVATE_FILE_MODE);
}

/** chmod without the umask; a missing file is fine (e.g. no -wal yet); Windows has no such bits to set. */
export function tighten(file: string, mode: number): void {
  if (process.platform === "win32") return;
  try {
    const stat = fs.statSync(file);
    if ((stat.mode & 0o777) !== mode) fs.chmodSync(file, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

