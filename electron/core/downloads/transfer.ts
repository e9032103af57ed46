import { createModelDownloader, type ModelDownloader } from "node-llama-cpp";
import { StallError } from "./download-errors.js";

export type TransferInput = {
  /** `resolve` URL of the file (the first part, for split models). */
  url: string;
  /** Staging folder: the downloader keeps `<name>.ipull` there while unfinished, and renames it when done. */
  dir: string;
  /** Local name (the first part's, for split models; the downloader derives the others). */
  localName: string;
  headers: Record<string, string>;
  endpoint: string;
  signal: AbortSignal;
  stallTimeoutMs: number;
  onProgress(progress: { downloadedBytes: number; totalBytes: number }): void;
};

/** Suffix of the downloader's (ipull's) unfinished file; it holds the bytes and, after them, its chunk map. */
export const PARTIAL_SUFFIX = ".ipull";

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * One attempt with node-llama-cpp's downloader, which resumes from the chunks its partial file records as complete.
 * The downloader (ipull underneath) takes headers but no fetch, and calls the global `fetch`: the caller runs this
 * inside an egress-gate hub transfer, whose route sends those calls through the gate (host rule, token only to the
 * hub, bytes counted into the audit entry as they arrive). Adds what it lacks: a stall watchdog (it waits forever on a silent connection) and an abort that surely rejects.
 * Throws the abort reason when `signal` aborts, a StallError on a stall, or the downloader's error.
 */
export async function transferOnce(input: TransferInput): Promise<void> {
  const controller = new AbortController();
  const forward = () => controller.abort(input.signal.reason);
  if (input.signal.aborted) throw input.signal.reason;
  input.signal.addEventListener("abort", forward, { once: true });

  let lastActivity = Date.now();
  let lastBytes = -1;
  const watchdog = setInterval(() => {
    if (Date.now() - lastActivity > input.stallTimeoutMs) controller.abort(new StallError(input.stallTimeoutMs));
  }, Math.max(20, Math.min(1000, input.stallTimeoutMs / 4)));

  let downloader: ModelDownloader | undefined;
  const creating = createModelDownloader({
    modelUri: input.url,
    dirPath: input.dir,
    fileName: input.localName,
    headers: input.headers,
    // The endpoint marks the URL as Hugging Face's; no token is read from the environment or ~/.cache.
    endpoints: { huggingFace: input.endpoint },
    // null (which its type omits) is what tells it not to look for a token of its own.
    tokens: { huggingFace: null as unknown as string },
    skipExisting: false,
    deleteTempFileOnCancel: false,
    showCliProgress: false,
    onProgress: ({ downloadedSize, totalSize }) => {
      if (downloadedSize !== lastBytes) {
        lastBytes = downloadedSize;
        lastActivity = Date.now();
      }
      input.onProgress({ downloadedBytes: downloadedSize, totalBytes: totalSize });
    },
  });
  try {
    // Creating asks the server for the size first and retries on its own for minutes: the watchdog bounds it.
    downloader = await abortable(creating, controller.signal);
    lastActivity = Date.now();
    // Raced with the signal: the downloader does not always let go of a silent connection when aborted, and a stall
    // must end this attempt whatever it does (it is cancelled below).
    await abortable(downloader.download({ signal: controller.signal }), controller.signal);
    // An abort makes the download resolve as if it had finished: the signal tells.
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearInterval(watchdog);
    input.signal.removeEventListener("abort", forward);
    if (controller.signal.aborted) {
      if (downloader) await downloader.cancel({ deleteTempFile: false }).catch(() => undefined);
      else void creating.then((late) => late.cancel({ deleteTempFile: false })).catch(() => undefined);
    }
  }
}
