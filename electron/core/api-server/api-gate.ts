import { ApiError } from "./api-error.js";

type Waiter = { client: string; resolve: (release: () => void) => void; reject: (error: unknown) => void; onAbort: () => void; signal: AbortSignal };

/**
 * Lets API generations into the engine one at a time, so the engine's own FIFO queue holds at most one of them:
 * a message the user sends in the app waits for at most one API answer, however many clients are calling.
 * Waiting requests are served round-robin across clients (FIFO within a client), so one busy script cannot starve
 * another; past `maxQueued` waiting requests the server answers 429 at once instead of holding memory.
 */
export class ApiGate {
  private busy = false;
  private readonly queues = new Map<string, Waiter[]>();
  /** Clients in turn order; the client served last goes to the back. */
  private readonly turns: string[] = [];
  private waiting = 0;

  constructor(private readonly maxQueued: number) {}

  get queued(): number {
    return this.waiting;
  }

  get active(): boolean {
    return this.busy;
  }

  acquire(client: string, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new ApiError(499, "The request was cancelled.", "request_aborted", "aborted"));
    if (!this.busy && this.waiting === 0) {
      this.busy = true;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting >= this.maxQueued) {
      return Promise.reject(
        new ApiError(429, `The local model is busy: ${this.waiting} requests are already waiting. Try again shortly.`, "rate_limit_error", "rate_limit_exceeded"),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        client,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.remove(waiter);
          reject(new ApiError(499, "The request was cancelled.", "request_aborted", "aborted"));
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      let queue = this.queues.get(client);
      if (!queue) {
        queue = [];
        this.queues.set(client, queue);
        this.turns.push(client);
      }
      queue.push(waiter);
      this.waiting++;
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy = false;
      this.next();
    };
  }

  private next(): void {
    const client = this.turns.shift();
    if (client === undefined) return;
    const queue = this.queues.get(client)!;
    const waiter = queue.shift()!;
    this.waiting--;
    if (queue.length > 0) this.turns.push(client);
    else this.queues.delete(client);
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    this.busy = true;
    waiter.resolve(this.releaser());
  }

  private remove(waiter: Waiter): void {
    const queue = this.queues.get(waiter.client);
    const at = queue?.indexOf(waiter) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    this.waiting--;
    if (queue.length === 0) {
      this.queues.delete(waiter.client);
      this.turns.splice(this.turns.indexOf(waiter.client), 1);
    }
  }

  /** Refuses every waiting request (the server is stopping). */
  rejectAll(error: unknown): void {
    for (const queue of this.queues.values()) {
      for (const waiter of queue) {
        waiter.signal.removeEventListener("abort", waiter.onAbort);
        waiter.reject(error);
      }
    }
    this.queues.clear();
    this.turns.length = 0;
    this.waiting = 0;
  }
}
