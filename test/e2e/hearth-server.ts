import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type HearthServer = {
  url: string;
  process: ChildProcess;
  /** What the server wrote to stderr, for a failing test's message. */
  log(): string;
  /** SIGKILL: the process gets no chance to clean up, like a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

const urlPattern = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/;

/**
 * The built server under test: the repository's build, or one built elsewhere (HEARTH_TEST_BUILD=DIR holding
 * DIR/dist-electron and DIR/dist/renderer, with node_modules reachable from DIR), so that parallel work can test its
 * own build without rebuilding the shared one.
 */
export function builtServerPath(repoRoot: string): string {
  const root = process.env["HEARTH_TEST_BUILD"] ? path.resolve(process.env["HEARTH_TEST_BUILD"]) : repoRoot;
  const serve = path.join(root, "dist-electron/electron/serve.js");
  const page = path.join(root, "dist/renderer/index.html");
  for (const file of [serve, page]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run \`npm run build\` first.`);
  }
  return serve;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export type HearthServerOptions = {
  timeoutMs?: number;
  /** More command-line arguments, e.g. `["--hf-endpoint", url]`. */
  args?: string[];
  env?: Record<string, string>;
  /** A command the server runs under, e.g. `["nsenter", "--net=/proc/PID/ns/net", "--"]`; it must exec node in place. */
  launcher?: string[];
};

/** Starts `node dist-electron/electron/serve.js --data-dir DIR` and waits for the URL it prints. */
export async function startHearthServer(repoRoot: string, dataDir: string, options: HearthServerOptions | number = {}): Promise<HearthServer> {
  const { timeoutMs = 60_000, args = [], env = {}, launcher = [] } = typeof options === "number" ? { timeoutMs: options } : options;
  // One inference thread: Chromium shares the 2 cores, and llama.cpp's spinning threads slow down badly when oversubscribed.
  const command = [...launcher, process.execPath, builtServerPath(repoRoot), "--data-dir", dataDir, "--threads", "1", ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HEARTH_LOG_LEVEL: "warn", ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`Hearth did not print its URL in ${timeoutMs} ms.\n${stderr}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = urlPattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Hearth exited before printing its URL (code ${code}, signal ${signal}).\n${stderr}`));
    });
  });

  return {
    url,
    process: child,
    log: () => stderr,
    async kill() {
      child.kill("SIGKILL");
      await exited(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
