import { utilityProcess } from "electron";
import type { SpawnHost } from "./core/engine-host/host-spawn.js";

/**
 * The engine host of the desktop app: Electron's own Node child (the RunAsNode fuse is off, so Node's fork of
 * process.execPath would start a second Hearth). It loads the script from inside app.asar; node-llama-cpp's
 * binaries are unpacked beside it. stdio inherits, so llama.cpp's last words before an abort reach the log.
 */
export const spawnUtilityHost: SpawnHost = (script, args, { execArgv }) => {
  const child = utilityProcess.fork(script, args, { execArgv, stdio: "inherit", serviceName: "Hearth model runtime" });
  let exited = false;
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  child.on("exit", (code: number) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code, null);
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on("message", (message: unknown) => listener(message)),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (exited) return;
      // A host that broke the protocol or hangs in native code gets no say (utilityProcess.kill is a SIGTERM).
      try {
        if (child.pid) process.kill(child.pid, "SIGKILL");
        else child.kill();
      } catch {
        child.kill();
      }
    },
  };
};
