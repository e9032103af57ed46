import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromiumPath } from "./browser.js";

/**
 * A network namespace with nothing but loopback, for tests that prove the app works offline. One long-lived holder
 * process owns it; the server, Chromium and check scripts join it with nsenter, so a restarted server is still
 * reachable from the same browser.
 */

/** Why this machine cannot make a network namespace (not root, unshare refused), or null when it can. */
export function netnsUnavailable(): string | null {
  const probe = spawnSync("unshare", ["-n", "true"], { encoding: "utf8" });
  if (probe.error) return `unshare could not run (${probe.error.message})`;
  if (probe.status !== 0) return `\`unshare -n true\` failed: ${probe.stderr.trim() || `exit ${probe.status}`}`;
  return null;
}

export type Netns = {
  /** Put before a command to run it inside the namespace; the command replaces nsenter, keeping its pid. */
  enter: string[];
  /** A Chromium executable (a wrapper script in `dir`) that runs inside the namespace. */
  chromium: string;
  /** The namespace's interfaces as `ip -o link` lists them. */
  links(): string;
  close(): Promise<void>;
};

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Creates the namespace with `lo` up and writes the Chromium wrapper into `dir`. */
export async function createNetns(dir: string): Promise<Netns> {
  // The holder waits on its stdin, so it goes away with the test process even when that dies without cleaning up.
  const holder = spawn("unshare", ["-n", "--", "sh", "-c", "ip link set lo up && echo ready && exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  holder.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    holder.once("exit", (code) =>
      reject(new Error(`The network namespace could not be set up (exit ${code}; is iproute2 installed?): ${stderr.trim()}`)),
    );
  });
  const enter = ["nsenter", `--net=/proc/${holder.pid}/ns/net`, "--"];
  const chromium = path.join(dir, "chromium-in-netns.sh");
  fs.writeFileSync(chromium, `#!/bin/sh\nexec ${enter.join(" ")} ${chromiumPath} "$@"\n`, { mode: 0o755 });
  return {
    enter,
    chromium,
    links: () => spawnSync(enter[0]!, [...enter.slice(1), "ip", "-o", "link"], { encoding: "utf8" }).stdout,
    async close() {
      holder.stdin?.end();
      holder.kill("SIGKILL");
      await exited(holder);
    },
  };
}
