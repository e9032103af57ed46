import { constants } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "../../contract/index.js";

/** Kernel views and devices: regular-looking files there (/proc/self/environ) are never model files. */
const systemRoots = process.platform === "win32" ? [] : ["/proc", "/sys", "/dev"];

/**
 * A path the user typed, made absolute: `~/x` and relative paths are taken from the home folder, never from
 * the folder the app happens to run in (its install folder).
 */
export function resolveUserPath(input: string): string {
  const home = os.homedir();
  if (input === "~") return home;
  if (input.startsWith("~/") || input.startsWith(`~${path.sep}`)) return path.join(home, input.slice(2));
  return path.resolve(home, input);
}

/**
 * Opens a model file for reading, or refuses. Import must not tell a caller what lives at a path: a missing file,
 * an unreadable one, a FIFO, a device, a socket or anything under /proc, /sys or /dev all get the same message.
 * A FIFO is never opened (that would block), and the file is opened non-blocking and checked again through its
 * handle, so one swapped in meanwhile cannot block it either. (A folder keeps its own message: picking one is a
 * common slip.)
 */
export async function openModelFile(absolute: string): Promise<{ handle: FileHandle; size: number }> {
  const missing = (cause?: unknown) =>
    new AppError("MODEL_FILE_MISSING", `No file at ${absolute}. Check the path and try again.`, { cause });
  let real: string;
  let stat;
  try {
    real = await fs.realpath(absolute);
    stat = await fs.stat(real);
  } catch (cause) {
    throw missing(cause);
  }
  if (systemRoots.some((root) => real === root || real.startsWith(`${root}/`))) throw missing();
  if (stat.isDirectory()) throw new AppError("MODEL_FILE_MISSING", `${absolute} is a folder, not a model file.`);
  if (!stat.isFile()) throw missing();

  let handle: FileHandle;
  try {
    handle = await fs.open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw missing(cause);
  }
  const opened = await handle.stat().catch(() => null);
  if (!opened?.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) {
    await handle.close();
    throw missing();
  }
  return { handle, size: opened.size };
}
