import type { AuditEntry, AuditReview, Policy, PrivacyMode, Provider } from "../../contract/index.js";
import { AppError, isAppError } from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import { assertMayCarrySecret } from "../secrets/secret-origin.js";
import { collectorIdentity, type AuditCollector } from "./audit-forward/collector-config.js";
import type { AuditLog, AuditResult, DeclinedAuditEntry } from "./audit-log.js";
import { asGateNetwork, installGlobalFetchRoute, networkFetch, withHubRoute } from "./egress-route.js";
import { HubTransfer, type HubRequest } from "./hub-transfer.js";
import { hostAllowed } from "./policy.js";
import { isInternalHost } from "./policy-internal-hosts.js";
import { effectiveBaseUrl, providerAdapter } from "./providers/registry.js";
import { estimateCost, WireUsageReader } from "./wire-usage.js";

export type ChatEgressContext = {
  conversationId: string | null;
  conversationTitle: string | null;
  privacyMode: PrivacyMode;
  provider: Provider;
  purpose: "chat" | "provider-test";
  /** The request was held for the user's approval: why, and that it was approved (kept in its audit entry). */
  review?: AuditReview | null;
};

/**
 * Why this conversation may not send to this provider under this policy, as the error to show; null when it may.
 * Pure, so Settings and the chat flow can ask before offering the cloud at all.
 */
export function egressRefusal(
  policy: Policy,
  context: Pick<ChatEgressContext, "privacyMode" | "provider"> & { purpose?: ChatEgressContext["purpose"] },
): AppError | null {
  const { provider, privacyMode } = context;
  if (privacyMode === "local") {
    return new AppError(
      "EGRESS_BLOCKED",
      `This conversation is set to Local only, so nothing leaves this computer. Change its privacy mode to use ${provider.name}.`,
    );
  }
  if (policy.lockedPrivacyMode === "local") {
    return new AppError("POLICY_LOCKED", "Your organisation's policy keeps every conversation on this computer (Local only).");
  }
  // A provider test carries no conversation, so there is no payload to review.
  if (policy.lockedPrivacyMode === "ask" && privacyMode === "auto" && context.purpose !== "provider-test") {
    return new AppError("POLICY_LOCKED", "Your organisation's policy requires you to review every payload before it is sent (Ask mode).");
  }
  return providerRefusal(policy, provider);
}

/**
 * Whether the policy allows this provider at all (its kind, and its base URL's host and port, with the same
 * "*.example.org" and "host:port" rules the gate applies); the error to show, or null. For lists in Settings.
 */
export function providerRefusal(policy: Policy, provider: Provider): AppError | null {
  if (policy.allowedProviderKinds !== null && !policy.allowedProviderKinds.includes(provider.kind)) {
    return new AppError("POLICY_LOCKED", `Your organisation's policy does not allow ${providerAdapter(provider.kind).label} providers.`);
  }
  let base: URL;
  try {
    base = new URL(effectiveBaseUrl(provider));
  } catch (error) {
    return isAppError(error) ? error : new AppError("INVALID_INPUT", `${provider.name} has a base URL Hearth cannot use.`);
  }
  if (!hostAllowed(policy.allowedProviderHosts, base.hostname, portOf(base))) {
    return new AppError("POLICY_LOCKED", `Your organisation's policy does not allow sending to ${base.host}.`);
  }
  return null;
}

/** Whether the provider's base URL is one of the organisation's own servers (policy `internalHosts`). */
export function providerIsInternal(policy: Policy, provider: Provider): boolean {
  try {
    return isInternalHost(policy.internalHosts, effectiveBaseUrl(provider));
  } catch {
    return false;
  }
}

/** Request headers that carry a provider's credential (OpenAI and compatible, Anthropic, Azure, Gemini). */
const secretHeaders = ["authorization", "x-api-key", "api-key", "x-goog-api-key"];

/**
 * THE ONLY code that opens outbound connections (chat, and with the hub methods below, Hugging Face). Checks the conversation's mode and the policy, writes
 * the audit entry (with the exact request body), then sends; counts what comes back and closes the entry.
 */
export class EgressGate {
  constructor(
    readonly options: {
      policy: () => Policy;
      audit: AuditLog;
      /** Called when an entry is appended and again, same id, when it is closed. */
      onAudit: (entry: AuditEntry) => void;
      /** The real network fetch (tests wrap it: e.g. to reach a loopback fake hub under another name). */
      fetch?: typeof fetch;
      /** The audit collector the organisation policy names (auditCollector), if any. */
      auditCollector?: () => AuditCollector | null;
      logger?: Logger;
    },
  ) {
    // Libraries that call the global fetch themselves (node-llama-cpp's downloader and GGUF reader) are routed here.
    installGlobalFetchRoute();
  }

  private get network(): typeof fetch {
    return this.options.fetch ?? networkFetch;
  }

  /** Throws EGRESS_BLOCKED / POLICY_LOCKED when this conversation may not send to this provider. */
  assertAllowed(context: Pick<ChatEgressContext, "privacyMode" | "provider"> & { purpose?: ChatEgressContext["purpose"] }): void {
    const refusal = egressRefusal(this.options.policy(), context);
    if (refusal) throw refusal;
  }

  /** A fetch bound to one chat request's context; provider SDKs are given this and nothing else. */
  chatFetch(context: ChatEgressContext): typeof fetch {
    return (input, init) => this.send(context, input, init);
  }

  private async send(context: ChatEgressContext, input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    // Every check runs again on every request, before any socket: the policy may have changed since the proposal.
    this.assertAllowed(context);
    const request = new Request(input, init);
    const url = new URL(request.url);
    assertUnderBase(url, context.provider);
    // Second line behind the adapters' own check: a credential never crosses a network in clear.
    if (secretHeaders.some((name) => request.headers.has(name))) assertMayCarrySecret(url.href, "API keys");
    const bodyBytes = new Uint8Array(await request.arrayBuffer());
    let payload: string;
    try {
      payload = new TextDecoder("utf-8", { fatal: true }).decode(bodyBytes);
    } catch {
      // The audit log shows the exact bytes that leave; a body it cannot show as text is not sent.
      throw new AppError("EGRESS_BLOCKED", "Hearth refused to send a request body it cannot show in the audit log.");
    }
    const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
    if (signal?.aborted) throw signal.reason;

    const entry = this.options.audit.begin({
      conversationId: context.conversationId,
      conversationTitle: context.conversationTitle,
      purpose: context.purpose,
      providerName: context.provider.name,
      providerKind: context.provider.kind,
      model: context.provider.model,
      host: url.host,
      payload,
      bytesSent: bodyBytes.byteLength,
      review: context.review ?? null,
      // Decided on the URL actually requested, under the policy in force now: a label, never a permission.
      destination: isInternalHost(this.options.policy().internalHosts, url) ? "organisation" : "cloud",
    });
    this.emit(entry);

    const started = performance.now();
    const usage = new WireUsageReader(providerAdapter(context.provider.kind));
    let bytesReceived = 0;
    let closed = false;
    const close = (outcome: AuditResult["outcome"], error: string | null) => {
      if (closed) {
        // The body ended fine but the reader then failed on it (a malformed event): the request did not succeed.
        if (outcome === "error" && error) this.recordSafely(() => this.options.audit.markFailed(entry.id, error));
        return;
      }
      closed = true;
      // After a clean end the listener stays until the caller settles, so a late failure can still be recorded.
      if (outcome !== "ok") signal?.removeEventListener("abort", onAbort);
      usage.end();
      this.recordSafely(() =>
        this.options.audit.finish(entry.id, {
          bytesReceived,
          tokensIn: usage.usage.input,
          tokensOut: usage.usage.output,
          costUsd: estimateCost(usage.usage, context.provider),
          outcome,
          error,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        }),
      );
    };
    const onAbort = () => close(...abortOutcome(signal?.reason));
    signal?.addEventListener("abort", onAbort, { once: true });

    let response: Response;
    try {
      const network = this.network;
      response = await asGateNetwork(() => network(url, {
        method: request.method,
        headers: request.headers,
        ...(bodyBytes.byteLength > 0 || !["GET", "HEAD"].includes(request.method) ? { body: bodyBytes } : {}),
        ...(signal ? { signal } : {}),
        // A redirect would carry the payload to a host nobody approved (307/308 resend the body): never follow.
        redirect: "manual",
      }));
    } catch (error) {
      close(...(signal?.aborted ? abortOutcome(signal.reason) : failed(`Connection failed (${networkCode(error)})`)));
      throw error;
    }
    const failure = response.ok ? null : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    if (!response.body || [204, 205, 304].includes(response.status)) {
      close(failure ? "error" : "ok", failure);
      return response;
    }
    const reader = response.body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            close(failure ? "error" : "ok", failure);
            controller.close();
            return;
          }
          bytesReceived += value.byteLength;
          usage.push(value);
          controller.enqueue(value);
        } catch (error) {
          close(...(signal?.aborted ? abortOutcome(signal.reason) : failed(`Connection lost (${networkCode(error)})`)));
          controller.error(error);
        }
      },
      async cancel(reason) {
        close(...abortOutcome(signal?.aborted ? signal.reason : reason));
        await reader.cancel(reason);
      },
    });
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /**
   * A held request the user refused: its audit entry says so, with no payload (nothing left). Never throws: keeping a
   * request local must not fail because the log could not be written (that is logged).
   */
  recordDeclined(entry: DeclinedAuditEntry): void {
    this.recordSafely(() => this.options.audit.recordDeclined(entry));
  }

  /**
   * Hugging Face traffic (search, file lists, model headers and downloads) has its own rule: it carries no
   * conversation content, so it is allowed in every privacy mode, but only to the endpoint in force (the user's
   * setting, or the one the organisation's policy fixes). Anything else is refused before a socket opens.
   */
  assertHubAllowed(url: string | URL, endpoint: string): void {
    const target = new URL(url);
    const allowed = new URL(endpoint);
    if (target.protocol !== allowed.protocol || target.host !== allowed.host) {
      throw new AppError("EGRESS_BLOCKED", `Hearth only contacts the configured model hub (${allowed.host}), not ${target.host}.`);
    }
  }

  /** A fetch for the Hugging Face client: one transfer (audit entry) per request, its body read before it closes. */
  hubFetch(purpose: "search" | "download", endpoint: () => string): typeof fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      return this.hubRequest(
        {
          purpose,
          method: request.method === "HEAD" ? "HEAD" : "GET",
          url: request.url,
          endpoint: endpoint(),
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        async (gated) => {
          const response = await gated(request);
          const body = await response.arrayBuffer();
          return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
        },
      );
    };
  }

  /**
   * Runs one hub transfer: the hub rule is checked and the audit entry written before anything is sent; every
   * request `run` makes with the fetch it is given, or through the global fetch (node-llama-cpp's downloader and
   * GGUF reader take no fetch of their own), goes through the transfer's checks and has its bytes counted into the
   * entry as they arrive; the entry is closed with the outcome once `run` settles.
   */
  async hubRequest<T>(request: HubRequest, run: (gatedFetch: typeof fetch) => Promise<T>): Promise<T> {
    this.assertHubAllowed(request.url, request.endpoint);
    request.signal?.throwIfAborted();
    const transfer = new HubTransfer({ audit: this.options.audit, emit: (entry) => this.emit(entry), fetch: this.network }, request);
    request.onOpen?.(transfer.entry);
    try {
      const value = await withHubRoute(transfer.fetch, () => run(transfer.fetch));
      transfer.close(...transfer.settledOutcome());
      return value;
    } catch (error) {
      const cause = request.signal?.aborted ? request.signal.reason : error;
      transfer.close(...(request.describeFailure ?? hubFailure)(cause));
      throw error;
    }
  }

  /**
   * The organisation's audit collector (policy `auditCollector`) is the one other destination: `run` opens the
   * connection(s) to it, which are the gate's own. Not audited itself: the records are the audit log, and logging
   * their delivery would make records of records without end.
   */
  collectorNetwork<T>(collector: AuditCollector, run: () => T): T {
    const allowed = this.options.auditCollector?.() ?? null;
    if (collector.type === "jsonl" || allowed === null || collectorIdentity(allowed) !== collectorIdentity(collector)) {
      throw new AppError("EGRESS_BLOCKED", "Hearth only forwards the audit log to the collector the organisation policy names.");
    }
    return asGateNetwork(run);
  }

  /** A hub transfer that ended well but whose bytes were then refused (a checksum mismatch, not a model): say why. */
  markHubFailed(entryId: string, error: string): void {
    this.recordSafely(() => this.options.audit.markFailed(entryId, error));
  }

  /**
   * Closing or amending an entry runs from stream and abort callbacks, where a throw (a full disk) would be
   * uncaught and end the process. The entry was written before the first byte, so it stays true ("aborted", with
   * the bytes counted so far); opening an entry (`audit.begin`) still throws, so nothing unrecorded is ever sent.
   */
  private recordSafely(update: () => AuditEntry): void {
    let entry: AuditEntry;
    try {
      entry = update();
    } catch (error) {
      this.options.logger?.error("audit entry could not be updated", { code: (error as { code?: unknown } | null)?.code ?? "unknown" });
      return;
    }
    this.emit(entry);
  }

  private emit(entry: AuditEntry): void {
    try {
      this.options.onAudit(entry);
    } catch {
      // A listener's failure must not break the request the entry describes.
    }
  }
}

function portOf(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/** The SDK must only ever call under the provider's base URL; anything else is refused before it leaves. */
function assertUnderBase(url: URL, provider: Provider): void {
  const base = new URL(effectiveBaseUrl(provider));
  const basePath = base.pathname.replace(/\/+$/, "");
  const okProtocol = url.protocol === "https:" || url.protocol === "http:";
  const okPath = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  if (!okProtocol || url.origin !== base.origin || !okPath) {
    throw new AppError("EGRESS_BLOCKED", `Hearth refused a request to ${url.host}: it is not ${provider.name}'s address.`);
  }
}

type Outcome = [AuditResult["outcome"], string | null];

const failed = (error: string): Outcome => ["error", error];

function hubFailure(error: unknown): Outcome {
  if (isAppError(error)) return error.code === "ABORTED" ? ["aborted", null] : ["error", error.message];
  return failed(`Connection failed (${networkCode(error)})`);
}

/** What an aborted request was: the user's Stop, or a failure decided by the caller (a timeout, a bad stream). */
function abortOutcome(reason: unknown): Outcome {
  if (isAppError(reason) && reason.code !== "ABORTED") return ["error", reason.message];
  return ["aborted", null];
}

/** A short, secret-free name for a network failure: the system error code, never the error's text. */
export function networkCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "network error";
}
