import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The little of a child process the client uses; Node's fork and Electron's utilityProcess both fit it. */
export type HostProcess = {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process is gone (any way: exit, signal, failed start). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGKILL: a host that broke the protocol or will not stop gets no say. */
  kill(): void;
};

/**
 * Starts the host script. Browser mode forks Node; the desktop app passes Electron's utilityProcess (its RunAsNode
 * fuse is off, so forking process.execPath would start a second Hearth, not Node). No `electron` import here.
 */
export type SpawnHost = (script: string, args: string[], options: { execArgv: string[] }) => HostProcess;

export const forkHost: SpawnHost = (script, args, { execArgv }) => {
  const child = fork(script, args, {
    execArgv,
    // llama.cpp's own output (and a GGML_ASSERT's last words) go to the app's stderr, where the logs are.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  let exited = false;
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  const exit = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code, signal);
  };
  child.on("exit", (code, signal) => exit(code, signal));
  child.on("error", () => {
    // A failed start or a send on a closed channel: the process is (or will be) gone; make sure of it.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    else exit(child.exitCode, child.signalCode);
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on("message", (message) => listener(message)),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!exited) child.kill("SIGKILL");
    },
  };
};

/**
 * The compiled host script. Built code (the app, browser mode) finds it beside this module, inside app.asar too;
 * tests run this module from its TypeScript source, so the script comes from a build: HEARTH_TEST_BUILD's, else the
 * repository's `npm run build:node` output.
 */
export function hostScript(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = path.join(path.dirname(here), "engine-host-main.js");
  if (here.endsWith(".js")) return beside;
  const root = process.env["HEARTH_TEST_BUILD"] ? path.resolve(process.env["HEARTH_TEST_BUILD"]) : path.resolve(path.dirname(here), "../../..");
  const built = path.join(root, "dist-electron/electron/core/engine-host/engine-host-main.js");
  if (!fs.existsSync(built)) {
    throw new Error(`The engine host is not built (${built} is missing): run npm run build:node first.`);
  }
  return built;
}
