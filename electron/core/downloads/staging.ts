import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import { formatBytes } from "./download-errors.js";
import { fileSize, freeDiskBytes, sha256File } from "./file-ops.js";
import { splitPartNames, type RemotePart } from "./remote-file.js";
import { PARTIAL_SUFFIX } from "./transfer.js";

/** Where a download's files live: `<stagingDir>/<id>/<part>` until verified, then `<modelsDir>/<owner>/<name>/<part>`. */
export type StagedFiles = {
  dir: string;
  /** Local names of the parts, in order (the first is the model's entry point). */
  localNames: string[];
  destinations: string[];
};

export function stagedFiles(options: { stagingDir: string; modelsDir: string }, id: string, repo: string, fileName: string): StagedFiles {
  const [owner = "", name = ""] = repo.split("/");
  const localNames = splitPartNames(fileName).map((part) => path.posix.basename(part));
  return {
    dir: path.join(options.stagingDir, id),
    localNames,
    destinations: localNames.map((local) => path.join(options.modelsDir, owner, name, local)),
  };
}

/** Every part is in staging under its final name, at its full size, with no partial beside it. */
export async function stagedComplete(files: StagedFiles, parts: RemotePart[]): Promise<boolean> {
  for (const [index, local] of files.localNames.entries()) {
    if ((await fileSize(path.join(files.dir, local + PARTIAL_SUFFIX))) !== null) return false;
    if ((await fileSize(path.join(files.dir, local))) !== parts[index]!.sizeBytes) return false;
  }
  return true;
}

export async function hasPartial(files: StagedFiles): Promise<boolean> {
  for (const local of files.localNames) {
    if ((await fileSize(path.join(files.dir, local + PARTIAL_SUFFIX))) !== null) return true;
  }
  return false;
}

/**
 * The downloader, stopped with its last (short) chunk done, may count the file as finished and rename the partial
 * to its final name, chunk map and all. Renamed back, it resumes from that map instead of starting over.
 */
export async function restorePartials(files: StagedFiles, parts: RemotePart[]): Promise<void> {
  for (const [index, local] of files.localNames.entries()) {
    const final = path.join(files.dir, local);
    const size = await fileSize(final);
    if (size !== null && size > parts[index]!.sizeBytes && (await fileSize(final + PARTIAL_SUFFIX)) === null) {
      await fs.rename(final, final + PARTIAL_SUFFIX);
    }
  }
}

/**
 * A crash after the move into the models folder but before registration leaves the files there under a download
 * that is not completed (start() refuses to reuse those paths, so they are this download's): bring them back to
 * staging so they are verified and registered like any other.
 */
export async function reclaimMoved(files: StagedFiles): Promise<void> {
  for (const [index, local] of files.localNames.entries()) {
    const staged = path.join(files.dir, local);
    const destination = files.destinations[index]!;
    if ((await fileSize(destination)) !== null && (await fileSize(staged)) === null) await fs.rename(destination, staged);
  }
}

/** Null when every part has its size and published sha256; else the error to fail with. */
export async function verifyStaged(
  files: StagedFiles,
  parts: RemotePart[],
  expected: (string | null)[],
  signal: AbortSignal,
  logger?: Logger,
): Promise<AppError | null> {
  for (const [index, part] of parts.entries()) {
    const file = path.join(files.dir, files.localNames[index]!);
    let size = await fileSize(file);
    if (size !== null && size > part.sizeBytes) {
      // The downloader can finish with its chunk map still appended after the data; the hash decides.
      await fs.truncate(file, part.sizeBytes);
      size = part.sizeBytes;
    }
    if (size !== part.sizeBytes) {
      return new AppError(
        "DOWNLOAD_CHECKSUM",
        `${part.fileName} arrived incomplete (${formatBytes(size ?? 0)} of ${formatBytes(part.sizeBytes)}), so it was discarded. Try again.`,
        { retryable: true },
      );
    }
    const want = expected[index];
    if (!want) {
      logger?.warn("no published sha256; only the size was checked", { fileName: part.fileName });
      continue;
    }
    if ((await sha256File(file, signal)) !== want) {
      return new AppError(
        "DOWNLOAD_CHECKSUM",
        `${part.fileName} did not match its published checksum (sha256), so the download was discarded. ` +
          "It was damaged on the way or changed on the server; try again.",
        { retryable: true },
      );
    }
  }
  return null;
}

export async function ensureDiskSpace(input: {
  dir: string;
  fileName: string;
  remainingBytes: number;
  marginBytes: number;
  freeBytes?: (dir: string) => Promise<number>;
}): Promise<void> {
  const { dir, fileName, remainingBytes, marginBytes } = input;
  await fs.mkdir(dir, { recursive: true });
  const free = await (input.freeBytes ?? freeDiskBytes)(dir);
  if (free < remainingBytes + marginBytes) {
    throw new AppError(
      "DISK_FULL",
      `Not enough disk space for ${fileName}: it needs ${formatBytes(remainingBytes)} more (and Hearth keeps ` +
        `${formatBytes(marginBytes)} spare), but the disk of ${dir} has ${formatBytes(free)} free. Free up space, then try again.`,
      { retryable: true },
    );
  }
}

/** Deletes staging folders that none of `owners` owns (a crash between the move and the clean-up leaves them). */
export async function sweepStaging(stagingDir: string, owners: Set<string>): Promise<void> {
  const entries = await fs.readdir(stagingDir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!owners.has(entry)) await fs.rm(path.join(stagingDir, entry), { recursive: true, force: true });
  }
}
