import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Vitest global setup: every temporary file the tests (and the processes they start, Chromium included) create
 * goes under one directory of this run, removed when the run ends, so test runs leave nothing in the system's
 * temporary directory.
 */
export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-tests-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
