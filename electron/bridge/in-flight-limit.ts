import type { WireResult } from "../contract/index.js";
import { busyError } from "./flow-limits.js";

export type InFlightLimit = {
  /** Runs `call` unless `max` calls are already running; then answers BUSY (retryable) without running it. */
  run(call: () => Promise<WireResult<unknown>>): Promise<WireResult<unknown>>;
  readonly running: number;
};

/** The in-flight cap for a transport without its own flow control (Electron IPC: one window, one counter). */
export function createInFlightLimit(max: number): InFlightLimit {
  let running = 0;
  return {
    async run(call) {
      if (running >= max) return { ok: false, error: busyError().toJSON() };
      running += 1;
      try {
        return await call();
      } finally {
        running -= 1;
      }
    },
    get running() {
      return running;
    },
  };
}
