import { AsyncLocalStorage } from "node:async_hooks";
import { AppError } from "../../contract/index.js";
import { isLoopbackHost } from "../loopback.js";

/**
 * What the code running now is, as far as the egress gate is concerned: inside one of the gate's own network calls
 * (the only place a non-loopback connection may be opened), or inside a hub transfer whose library code (ipull,
 * node-llama-cpp's GGUF reader) calls the global `fetch` itself.
 */
type Scope = { kind: "network" } | { kind: "hub"; fetch: typeof fetch };

// Shared through globalThis, like the router itself: a second copy of this module (a test runner's) must see the
// scopes the first one's router reads.
const SCOPE = Symbol.for("hearth.egress.scope");
const scope: AsyncLocalStorage<Scope> = ((globalThis as Record<symbol, unknown>)[SCOPE] ??= new AsyncLocalStorage<Scope>()) as AsyncLocalStorage<Scope>;

/** Marks the installed router and keeps the fetch it replaced (a second copy of this module finds it there). */
const ORIGINAL = Symbol.for("hearth.egress.originalFetch");
type Routed = typeof fetch & { [ORIGINAL]?: typeof fetch };

/** Node's own fetch, as it was before the route was installed: the one the gate uses to reach the network. */
export const networkFetch: typeof fetch = ((globalThis.fetch as Routed)[ORIGINAL] ?? globalThis.fetch).bind(globalThis);

/**
 * Runs one of the gate's own network calls. Sockets opened inside it are the gate's (tests check this with
 * `openedByGate`), and a library fetch made inside it goes straight to the network instead of back to the gate.
 */
export function asGateNetwork<T>(run: () => T): T {
  return scope.run({ kind: "network" }, run);
}

/** Runs library code whose global `fetch` calls must go through `gatedFetch` (one hub transfer's). */
export function withHubRoute<T>(gatedFetch: typeof fetch, run: () => T): T {
  return scope.run({ kind: "hub", fetch: gatedFetch }, run);
}

/** Whether the code running now is one of the gate's own network calls (for the socket-watching tests). */
export function openedByGate(): boolean {
  return scope.getStore()?.kind === "network";
}

/**
 * node-llama-cpp's downloader (ipull) and its GGUF header reader call the global `fetch` and take no fetch of their
 * own, so the global one is replaced, once, by a router: inside a hub transfer a call goes to that transfer's gated
 * fetch (host rule, audit entry, byte count); inside the gate's own calls, to the network; anywhere else an http(s)
 * request to a host that is not loopback is refused before a socket opens. Loopback and other schemes pass.
 */
export function installGlobalFetchRoute(): void {
  if ((globalThis.fetch as Routed)[ORIGINAL]) return;
  const routed: Routed = (input, init) => {
    const current = scope.getStore();
    if (current?.kind === "hub") return current.fetch(input, init);
    if (current?.kind === "network") return networkFetch(input, init);
    const url = urlOf(input);
    if (url && (url.protocol === "http:" || url.protocol === "https:") && !isLoopbackHost(url.hostname)) {
      return Promise.reject(
        new AppError("EGRESS_BLOCKED", `Hearth blocked a connection to ${url.host} that did not go through its egress gate.`),
      );
    }
    return networkFetch(input, init);
  };
  routed[ORIGINAL] = networkFetch;
  globalThis.fetch = routed;
}

function urlOf(input: string | URL | Request): URL | null {
  try {
    return new URL(input instanceof Request ? input.url : input);
  } catch {
    return null;
  }
}
