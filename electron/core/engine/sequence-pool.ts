import { AppError } from "../../contract/index.js";

/** One sequence of the loaded context, held for one generation; `release` hands it back (once). */
export type SequenceLease<S> = {
  readonly value: S;
  /** The sequence already held this key's tokens (its cache is warm), rather than being new or cleared for it. */
  readonly reused: boolean;
  release(): void;
};

type Slot<S> = { value: S; key: string | null; busy: boolean; lastUsed: number };

/**
 * Up to `size` sequences of one context, each kept for a caller's cache key (a conversation's branch, an API
 * client's session): consecutive generations under a key reuse its evaluated tokens. Sequences are made on first
 * need; with all made, a new key takes the least recently used idle one, whose history is cleared first. One
 * generation per sequence at a time: a second request for a busy key, or for a new key while every sequence is
 * busy, waits (and gives up with ABORTED when its signal fires).
 */
export class SequencePool<S> {
  private readonly slots: Slot<S>[] = [];
  private waiters: (() => void)[] = [];
  private clock = 0;
  private last: S | null = null;

  constructor(
    readonly size: number,
    private readonly create: () => S,
    private readonly clear: (value: S) => Promise<void>,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`A sequence pool needs at least one sequence (got ${size}).`);
  }

  /** The sequence used last (the tests' and the benchmark's view of "the" cache). */
  get lastUsed(): S | null {
    return this.last;
  }

  /** The keys whose tokens the sequences hold now, least recently used first. */
  keys(): string[] {
    return [...this.slots].sort((a, b) => a.lastUsed - b.lastUsed).flatMap((s) => (s.key == null ? [] : [s.key]));
  }

  async acquire(key: string, signal?: AbortSignal): Promise<SequenceLease<S>> {
    for (;;) {
      if (signal?.aborted) throw new AppError("ABORTED", "Stopped before the answer started.");
      const own = this.slots.find((s) => s.key === key);
      if (own && !own.busy) return this.lease(own, true);
      if (!own) {
        if (this.slots.length < this.size) {
          const slot: Slot<S> = { value: this.create(), key, busy: false, lastUsed: 0 };
          this.slots.push(slot);
          return this.lease(slot, false);
        }
        const idle = this.slots.filter((s) => !s.busy).sort((a, b) => a.lastUsed - b.lastUsed)[0];
        if (idle) {
          // Evicted: its key's cache is gone; the next turn there starts from an empty sequence again.
          const lease = this.lease(idle, false);
          idle.key = key;
          try {
            await this.clear(idle.value);
          } catch (error) {
            idle.key = null;
            lease.release();
            throw error;
          }
          return lease;
        }
      }
      await this.waitForRelease(signal);
    }
  }

  private lease(slot: Slot<S>, reused: boolean): SequenceLease<S> {
    slot.busy = true;
    slot.lastUsed = ++this.clock;
    this.last = slot.value;
    let released = false;
    return {
      value: slot.value,
      reused,
      release: () => {
        if (released) return;
        released = true;
        slot.busy = false;
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      },
    };
  }

  private waitForRelease(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      this.waiters.push(wake);
      // Woken by the abort too: the loop above then throws ABORTED.
      signal?.addEventListener("abort", wake, { once: true });
    });
  }
}
