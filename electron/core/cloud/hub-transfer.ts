import type { AuditEntry } from "../../contract/index.js";
import { AppError } from "../../contract/index.js";
import type { AuditLog, AuditResult } from "./audit-log.js";
import { isLoopbackHost } from "../loopback.js";
import { asGateNetwork } from "./egress-route.js";

export type HubRequest = {
  purpose: "search" | "download";
  /** The request the transfer is for (its first), as the audit log shows it. */
  method: "GET" | "HEAD";
  url: string;
  /** The hub endpoint in force (the user's setting, or the one the policy fixes). */
  endpoint: string;
  signal?: AbortSignal;
  /** How a failure reads in the audit log; the gate's default says the AppError's message or the network error. */
  describeFailure?: (error: unknown) => [AuditResult["outcome"], string | null];
  /** Called with the entry once it is written, before any byte leaves. */
  onOpen?: (entry: AuditEntry) => void;
};

/** Bytes are written to the entry at least every MiB or every second, so a crash leaves a true count. */
const PERSIST_BYTES = 1024 * 1024;
const PERSIST_MS = 1000;
/** Listeners (the UI) hear about progress at most this often. */
const EMIT_MS = 250;
const MAX_REDIRECTS = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * One audit entry for one hub transfer (a search request, a header read, a download attempt), open from before its
 * first request to its end, however many HTTP requests the library behind it makes. Every request is checked
 * against the hub (or a host the hub redirected to in this transfer), carries the token only to the hub's origin,
 * and has its body bytes counted into the entry as they arrive.
 */
export class HubTransfer {
  readonly entry: AuditEntry;
  /** Aborts every request still open when the transfer ends (a body nobody read). */
  private readonly controller = new AbortController();
  private readonly hub: URL;
  private readonly origins = new Set<string>();
  private readonly redirectHosts = new Set<string>();
  private readonly started = performance.now();
  private bytes = 0;
  private persisted = { bytes: 0, at: performance.now() };
  private emittedAt = 0;
  private lastStatus: number | null = null;
  private payload: string;
  private closed = false;

  constructor(
    private readonly deps: { audit: AuditLog; emit: (entry: AuditEntry) => void; fetch: typeof fetch },
    readonly request: HubRequest,
  ) {
    this.hub = new URL(request.endpoint);
    this.origins.add(this.hub.origin);
    const url = new URL(request.url);
    this.entry = deps.audit.begin({
      conversationId: null,
      conversationTitle: null,
      purpose: request.purpose,
      providerName: "Hugging Face",
      providerKind: "huggingface",
      model: null,
      host: url.host,
      // No body is sent: the record is the request line (the access token is a header and is never logged).
      payload: `${request.method} ${url.pathname}${url.search}`,
      bytesSent: 0,
    });
    this.payload = this.entry.payload;
    deps.emit(this.entry);
    // The caller's stop is not forwarded to the requests here: the library stops its own (ipull takes a failing
    // read for a network error and retries it); whatever is still open when the transfer ends is aborted then.
  }

  /** The fetch this transfer's code (and the libraries it calls) uses. */
  readonly fetch: typeof fetch = async (input, init) => {
    if (this.closed) throw new AppError("ABORTED", "This model hub transfer has already ended.");
    const request = new Request(input, init);
    if ((request.method !== "GET" && request.method !== "HEAD") || request.body !== null) {
      throw new AppError("EGRESS_BLOCKED", `Hearth only reads from the model hub; it refused a ${request.method} request with a body.`);
    }
    const signal = AbortSignal.any([this.controller.signal, request.signal]);
    let url = new URL(request.url);
    for (let hop = 0; ; hop++) {
      this.assertReachable(url);
      const headers = new Headers(request.headers);
      // The token is for the hub alone: never for a CDN it redirects to (ipull sends its headers everywhere).
      if (url.origin !== this.hub.origin) headers.delete("authorization");
      const response = await asGateNetwork(() =>
        this.deps.fetch(url, { method: request.method, headers, signal, redirect: "manual" }),
      );
      this.lastStatus = response.status;
      const location = redirectStatuses.has(response.status) ? response.headers.get("location") : null;
      if (location === null || request.redirect === "manual") {
        if (location !== null) this.allowRedirect(url, new URL(location, url));
        return this.counted(response, url);
      }
      await response.body?.cancel().catch(() => undefined);
      if (request.redirect === "error" || hop >= MAX_REDIRECTS) {
        throw new AppError("NETWORK", `${this.hub.host} redirected Hearth too many times.`, { retryable: true });
      }
      const target = new URL(location, url);
      this.allowRedirect(url, target);
      url = target;
    }
  };

  /** How a transfer whose code finished without throwing ended: a final HTTP error still counts as one. */
  settledOutcome(): [AuditResult["outcome"], string | null] {
    return this.lastStatus !== null && this.lastStatus >= 400 ? ["error", `HTTP ${this.lastStatus}`] : ["ok", null];
  }

  /** Writes the outcome and the true byte count, and stops whatever this transfer still has open. */
  close(outcome: AuditResult["outcome"], error: string | null): AuditEntry {
    if (this.closed) return this.entry;
    this.closed = true;
    this.controller.abort(new AppError("ABORTED", "The model hub transfer ended."));
    const entry = this.deps.audit.finish(this.entry.id, {
      bytesReceived: this.bytes,
      tokensIn: null,
      tokensOut: null,
      costUsd: null,
      outcome,
      error,
      durationMs: Math.round(performance.now() - this.started),
    });
    this.deps.emit(entry);
    return entry;
  }

  private assertReachable(url: URL): void {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new AppError("EGRESS_BLOCKED", `Hearth refused a ${url.protocol} address from the model hub.`);
    }
    if (!this.origins.has(url.origin)) {
      throw new AppError("EGRESS_BLOCKED", `Hearth only contacts the configured model hub (${this.hub.host}), not ${url.host}.`);
    }
  }

  /**
   * The hub serves large files by redirecting to its CDN: a host the hub (or a host it sent us to) names in a
   * redirect may be read from for the rest of this transfer, never over plain http unless it is this computer.
   * The audit entry says which hosts these were.
   */
  private allowRedirect(from: URL, to: URL): void {
    this.assertReachable(from);
    if (to.protocol !== "https:" && !(to.protocol === "http:" && (from.protocol === "http:" || isLoopbackHost(to.hostname)))) {
      throw new AppError("EGRESS_BLOCKED", `Hearth refused to follow ${from.host}'s redirect to ${to.protocol}//${to.host}.`);
    }
    this.origins.add(to.origin);
    if (to.host !== this.hub.host && !this.redirectHosts.has(to.host)) {
      this.redirectHosts.add(to.host);
      this.payload = `${this.entry.payload} (redirected to ${[...this.redirectHosts].join(", ")})`;
      this.deps.audit.notePayload(this.entry.id, this.payload);
    }
  }

  private counted(response: Response, url: URL): Response {
    let body: ReadableStream<Uint8Array> | null = null;
    if (response.body && !nullBodyStatuses.has(response.status)) {
      const reader = response.body.getReader();
      body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          try {
            const { done, value } = await reader.read();
            if (done) return controller.close();
            this.add(value.byteLength);
            controller.enqueue(value);
          } catch (error) {
            controller.error(error);
          }
        },
        cancel: (reason) => reader.cancel(reason),
        // No read-ahead: a body nobody reads (ipull's probe GET) is not pulled from the network.
      }, { highWaterMark: 0 });
    }
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // ipull reads the final address of a redirected request from `url` and fetches its ranges there.
    Object.defineProperty(copy, "url", { value: url.href });
    return copy;
  }

  private add(bytes: number): void {
    this.bytes += bytes;
    const now = performance.now();
    if (this.bytes - this.persisted.bytes < PERSIST_BYTES && now - this.persisted.at < PERSIST_MS) return;
    this.persisted = { bytes: this.bytes, at: now };
    if (this.closed) return;
    this.deps.audit.progress(this.entry.id, this.bytes);
    if (now - this.emittedAt >= EMIT_MS) {
      this.emittedAt = now;
      this.deps.emit({ ...this.entry, payload: this.payload, bytesReceived: this.bytes });
    }
  }
}
