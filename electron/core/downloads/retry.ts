import { AppError } from "../../contract/index.js";

export type RetryPolicy = { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Half the exponential ceiling plus a random half, so many clients do not retry in step. */
export function backoffDelay(failures: number, policy: Required<RetryPolicy>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Runs `attempt` until it succeeds, retrying retryable failures (not a full disk) with exponential backoff and
 * jitter. Failures count in streaks: one after progress (`progress()` grew) starts a new streak, so a long download
 * survives occasional drops but gives up on a dead connection after `maxAttempts`. An abort of `signal` rethrows.
 */
export async function retryWithBackoff<T>(input: {
  attempt: () => Promise<T>;
  signal: AbortSignal;
  policy?: RetryPolicy;
  progress: () => number;
  toError: (error: unknown) => AppError;
  onRetry: (error: AppError, delayMs: number) => void;
  onResume: () => void;
}): Promise<T> {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, ...input.policy };
  let failures = 0;
  for (;;) {
    const before = input.progress();
    try {
      return await input.attempt();
    } catch (error) {
      if (input.signal.aborted) throw error;
      const appError = input.toError(error);
      if (!appError.retryable || appError.code === "DISK_FULL") throw appError;
      failures = input.progress() > before ? 1 : failures + 1;
      if (failures >= policy.maxAttempts) {
        throw new AppError(
          "NETWORK",
          `${appError.message} Hearth tried ${failures} times. Check your connection, then resume: ` +
            "the download continues where it stopped.",
          { retryable: true },
        );
      }
      const delay = backoffDelay(failures, policy);
      input.onRetry(appError, delay);
      await sleep(delay, input.signal);
      input.onResume();
    }
  }
}
