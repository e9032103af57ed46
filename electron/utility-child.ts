import { utilityProcess } from "electron";
import type { SpawnChild } from "./core/models/gguf-probe.js";

/**
 * Child processes of the packaged app (the GGUF header check). Its RunAsNode fuse is off, so Node's fork of
 * process.execPath would start a second Hearth instead of Node; utilityProcess is Electron's own Node child, and
 * loads scripts from inside app.asar.
 */
export const spawnUtilityChild: SpawnChild = (script, args, { execArgv }) => {
  const child = utilityProcess.fork(script, args, { execArgv, stdio: "ignore", serviceName: "Hearth model check" });
  return {
    onMessage: (listener) => child.on("message", (message: unknown) => listener(message)),
    onExit: (listener) => child.on("exit", (code: number) => listener(code, null)),
    kill: () => void child.kill(),
  };
};
