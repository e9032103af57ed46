import fs from "node:fs/promises";
import { AppError } from "../../../contract/index.js";
import type { ForwardRecord } from "./forward-queue.js";

/**
 * Runs code that opens a connection to the policy's collector, through the egress gate (EgressGate.collectorNetwork):
 * the gate checks the destination is the collector the policy names, and the sockets opened inside are the gate's.
 */
export type CollectorNetwork = <T>(run: () => T) => T;

/** Delivers one batch, in order; resolves only once the collector has taken all of it. */
export type CollectorTransport = {
  send(records: readonly ForwardRecord[], signal: AbortSignal): Promise<void>;
};

/** Bytes a collector may send back before Hearth stops listening: its reply says nothing Hearth needs. */
export const MAX_REPLY_BYTES = 64 * 1024;

/**
 * The collector's private CA, read once and kept; a failed read is retried on the next delivery (the file may be
 * put in place later).
 */
export function cachedCaReader(file: string | undefined): () => Promise<Buffer | undefined> {
  let ca: Promise<Buffer> | null = null;
  return () => {
    if (!file) return Promise.resolve(undefined);
    return (ca ??= fs.readFile(file).catch((error: unknown) => {
      ca = null;
      throw new AppError("NETWORK", `cannot read the collector's CA file (${(error as NodeJS.ErrnoException).code ?? "error"})`, { retryable: true });
    }));
  };
}

/** A promise that rejects when the signal aborts (the delivery timeout or shutdown), cleaning up its listener. */
export function abortable<T>(signal: AbortSignal, start: (settle: { resolve: (value: T) => void; reject: (error: unknown) => void }) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup: () => void = () => {};
    let done = false;
    const finish = (action: () => void) => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      cleanup();
      action();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    cleanup = start({ resolve: (value) => finish(() => resolve(value)), reject: (error) => finish(() => reject(error)) });
  });
}
