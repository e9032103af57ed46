import type { AuditForwardingStatus } from "../../../contract/index.js";
import { AppError } from "../../../contract/index.js";
import type { Logger } from "../../core-types.js";
import type { Db } from "../../store/database.js";
import { collectorIdentity, collectorTarget, type AuditCollector } from "./collector-config.js";
import type { CollectorNetwork, CollectorTransport } from "./collector-transport.js";
import { forwardFailure, TooLargeForCollector } from "./forward-error.js";
import { ForwardQueue } from "./forward-queue.js";
import { httpsTransport } from "./https-transport.js";
import { jsonlTransport } from "./jsonl-transport.js";
import { syslogTransport } from "./syslog-transport.js";

export type AuditForwarderOptions = {
  db: Db;
  collector: AuditCollector | null;
  /** The egress gate's door to the collector (EgressGate.collectorNetwork). */
  network: CollectorNetwork;
  logger?: Logger;
  now?: () => number;
  /** Capped exponential backoff between failed attempts (default 1 s doubling up to 5 min). */
  retry?: { baseMs: number; maxMs: number };
  /** One batch may take this long before it counts as failed (default 15 s). */
  timeoutMs?: number;
  /** Records and JSON Lines bytes a batch holds (default 200 and 1 MiB; a larger record goes alone, capped by the transport). */
  batch?: { records: number; bytes: number };
  /** While idle, how often to look for links written without a wake (default 10 s). */
  idlePollMs?: number;
  /** Replaces the transport built from `collector` (tests). */
  transport?: CollectorTransport;
};

function transportFor(collector: AuditCollector, network: CollectorNetwork, now: () => number): CollectorTransport {
  switch (collector.type) {
    case "jsonl":
      return jsonlTransport(collector, now);
    case "syslog":
      return syslogTransport(collector, network);
    case "https":
      return httpsTransport(collector, network);
    default:
      return collector satisfies never;
  }
}

/**
 * Sends a copy of the audit log to the organisation's collector: every chain link in seq order, at least once,
 * resuming after the last acknowledged link after a restart (progress is in the database). Delivery runs beside the
 * app on timers and sockets and never holds up a chat; a failure is retried with capped exponential backoff, shown
 * in `status()`, and logged once when the state changes (never the records, headers or the peer's words).
 */
export class AuditForwarder {
  private readonly queue: ForwardQueue | null;
  private readonly transport: CollectorTransport | null;
  private readonly now: () => number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly timeoutMs: number;
  private readonly batch: { records: number; bytes: number };
  private readonly idlePollMs: number;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private retrying = false;
  private running: Promise<void> | null = null;
  private again = false;
  private attempt = 0;
  private lastError: { message: string; at: number } | null = null;
  private failing = false;
  private lastDeliveredAt: number | null = null;
  /** After a batch was refused as too large: records up to this seq go one at a time. */
  private singlesThrough = 0;

  constructor(private readonly options: AuditForwarderOptions) {
    this.now = options.now ?? Date.now;
    this.retry = options.retry ?? { baseMs: 1000, maxMs: 5 * 60_000 };
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.batch = options.batch ?? { records: 200, bytes: 1024 * 1024 };
    this.idlePollMs = options.idlePollMs ?? 10_000;
    const collector = options.collector;
    this.queue = collector ? new ForwardQueue(options.db, collectorIdentity(collector)) : null;
    this.transport = collector ? (options.transport ?? transportFor(collector, options.network, this.now)) : null;
    this.lastDeliveredAt = this.queue?.progress().at ?? null;
  }

  /** Starts delivering what is pending (from where the last run stopped). */
  start(): void {
    this.wake();
  }

  /** New links were chained: deliver them soon, unless a retry is already scheduled (it will take them). */
  wake(): void {
    if (!this.queue || this.stopping.signal.aborted || this.retrying) return;
    if (this.running) {
      this.again = true;
      return;
    }
    try {
      this.schedule(0);
    } catch {
      // Called inside the audit log's write: nothing here may undo that write. The idle poll catches up.
    }
  }

  status(): AuditForwardingStatus {
    const collector = this.options.collector;
    if (!collector || !this.queue) {
      return { configured: false, kind: null, target: null, deliveredSeq: 0, pendingCount: 0, lastError: null, lastErrorAt: null, lastDeliveredAt: null };
    }
    let deliveredSeq = 0;
    let pendingCount = 0;
    try {
      deliveredSeq = this.queue.progress().seq;
      pendingCount = this.queue.pending();
    } catch {
      // A closed or locked database: the counts are unknown, the rest still says what is wrong.
    }
    return {
      configured: true,
      kind: collector.type,
      target: collectorTarget(collector),
      deliveredSeq,
      pendingCount,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      lastDeliveredAt: this.lastDeliveredAt,
    };
  }

  /** Stops timers and any delivery in flight (it is sent again next time), and waits for it to end. */
  async stop(): Promise<void> {
    this.stopping.abort(new AppError("ABORTED", "Hearth is shutting down."));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retrying = false;
      this.running = this.pump().finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
    }, delayMs);
    // Delivery never keeps the process alive on its own.
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    const queue = this.queue!;
    const transport = this.transport!;
    try {
      for (;;) {
        if (this.stopping.signal.aborted) return;
        const records = queue.next(queue.progress().seq < this.singlesThrough ? 1 : this.batch.records, this.batch.bytes);
        if (records.length === 0) break;
        const timeout = new AbortController();
        const timer = setTimeout(
          () => timeout.abort(new AppError("NETWORK", `no answer from the collector within ${Math.round(this.timeoutMs / 1000)} s`, { retryable: true })),
          this.timeoutMs,
        );
        try {
          await transport.send(records, AbortSignal.any([this.stopping.signal, timeout.signal]));
        } catch (error) {
          if (error instanceof TooLargeForCollector && records.length > 1) this.singlesThrough = records[records.length - 1]!.seq;
          throw error;
        } finally {
          clearTimeout(timer);
        }
        const at = this.now();
        queue.acknowledge(records[records.length - 1]!.seq, at);
        this.lastDeliveredAt = at;
        this.attempt = 0;
        if (this.failing) {
          this.failing = false;
          this.options.logger?.info("audit forwarding resumed", { collector: this.describe(), deliveredSeq: records[records.length - 1]!.seq });
        }
        // Between batches, let everything else run first.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (!this.stopping.signal.aborted) this.schedule(this.idlePollMs);
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    const message = forwardFailure(error).message;
    const changed = !this.failing || this.lastError?.message !== message;
    this.failing = true;
    this.lastError = { message, at: this.now() };
    if (changed) this.options.logger?.warn("audit forwarding failed; retrying", { collector: this.describe(), error: message });
    this.attempt++;
    const ceiling = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(this.attempt - 1, 30));
    // Jitter, so many computers behind one collector do not retry in step after an outage.
    this.retrying = true;
    this.schedule(Math.round(ceiling * (0.8 + Math.random() * 0.2)));
  }

  private describe(): string {
    const collector = this.options.collector!;
    return `${collector.type} ${collectorTarget(collector)}`;
  }
}
