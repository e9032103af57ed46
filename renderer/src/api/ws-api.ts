import {
  AppError,
  appErrorSchema,
  eventNames,
  methodNames,
  methods,
  type EventName,
  type HearthApi,
  type MethodName,
  WS_MAX_PAYLOAD_BYTES,
  wsCloseCodes,
} from "./contract.js";
import { createConnectionState, type Connection } from "./connection.js";
import { parseEvent } from "./validate-events.js";

/** The subset of the WebSocket API we use, so tests can pass the `ws` package's class under Node. */
export type WebSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
};
export type WebSocketFactory = (url: string) => WebSocketLike;

export type WsApiOptions = {
  createSocket?: WebSocketFactory;
  /** First retry delay; doubles per failed attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
};

export type WsApi = HearthApi & {
  connection: Connection;
  /** Closes the socket for good (no reconnect) and fails pending calls. */
  close(): void;
  /**
   * Drops the current socket (failing its pending calls) and connects now to `url`, with no backoff wait: a new
   * launch link (new token) was pasted into the open tab.
   */
  reconnect(url: string): void;
};

type Pending = {
  method: MethodName;
  data: string;
  /** BUSY replies so far: the server did not run the call, so sending it again is safe. */
  busyReplies: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

const OPEN = 1;
/** A call the server answered BUSY is sent again this many times (after 150, 300, 600 ms) before the UI sees it. */
const BUSY_RETRIES = 3;
const BUSY_RETRY_MS = 150;

const connectionLostCause = Symbol("hearth.connection-lost");

/** Why the server closed the socket, from its close code (ws-protocol.ts), so the message says what happened. */
function closeReason(code: number | undefined): string {
  if (code === wsCloseCodes.tooBig) return "A request was too large for Hearth, so it closed the connection. ";
  if (code === wsCloseCodes.invalidData || code === wsCloseCodes.policy) {
    return "Hearth could not read a request, so it closed the connection. ";
  }
  return "";
}

function connectionLost(closeCode?: number): AppError {
  return new AppError("INTERNAL", `${closeReason(closeCode)}Lost the connection to Hearth. Reconnecting…`, {
    retryable: true,
    cause: connectionLostCause,
  });
}

/** Checked before sending: a frame over the server's limit would close the connection for every call on it. */
function tooLarge(data: string): boolean {
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so most requests need no encoding to be known small.
  return data.length * 3 > WS_MAX_PAYLOAD_BYTES && new TextEncoder().encode(data).length > WS_MAX_PAYLOAD_BYTES;
}

/** True for calls that failed only because the socket was down; the UI shows that state once, not per call. */
export function isConnectionLost(error: unknown): boolean {
  return error instanceof AppError && error.cause === connectionLostCause;
}

/**
 * The browser-mode transport: one WebSocket, requests `{id, method, input}`, responses `{id, result}`,
 * events `{event, payload}`. Built from the contract's method and event names, so it cannot drift from it.
 */
export function createWsApi(url: string, options: WsApiOptions = {}): WsApi {
  const createSocket: WebSocketFactory = options.createSocket ?? ((u) => new WebSocket(u) as unknown as WebSocketLike);
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 8_000;

  const connection = createConnectionState("connecting");
  const pending = new Map<number, Pending>();
  /** Requests made before the first connection opens; sent on open. */
  const outbox: string[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;
  let currentUrl = url;

  function failAll(error: AppError): void {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    outbox.length = 0;
  }

  function handleMessage(raw: unknown): void {
    if (typeof raw !== "string") return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== "object" || message === null) return;
    if ("id" in message && typeof message.id === "number" && "result" in message) {
      settle(message.id, message.result);
    } else if ("event" in message && typeof message.event === "string") {
      const name = message.event as EventName;
      const set = listeners.get(name);
      if (!set || set.size === 0 || !eventNames.includes(name)) return;
      const payload = parseEvent(name, (message as { payload?: unknown }).payload);
      if (payload === null) return;
      for (const listener of [...set]) listener(payload);
    }
  }

  function settle(id: number, result: unknown): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (typeof result !== "object" || result === null || !("ok" in result)) {
      entry.reject(new AppError("INTERNAL", "Hearth sent an unexpected reply."));
      return;
    }
    if (result.ok === true && "value" in result) {
      const parsed = methods[entry.method].output.safeParse(result.value);
      if (parsed.success) entry.resolve(parsed.data);
      else entry.reject(new AppError("INTERNAL", "Hearth sent an unexpected reply."));
      return;
    }
    const error = appErrorSchema.safeParse("error" in result ? result.error : undefined);
    if (error.success && error.data.code === "BUSY" && entry.busyReplies < BUSY_RETRIES) {
      retryWhenLessBusy(id, entry);
      return;
    }
    entry.reject(error.success ? AppError.from(error.data) : new AppError("INTERNAL", "Hearth sent an unexpected reply."));
  }

  function retryWhenLessBusy(id: number, entry: Pending): void {
    const delay = BUSY_RETRY_MS * 2 ** entry.busyReplies;
    entry.busyReplies += 1;
    pending.set(id, entry);
    setTimeout(() => {
      // Gone if the connection dropped meanwhile (failAll rejected it).
      if (pending.get(id) !== entry) return;
      if (socket && socket.readyState === OPEN) socket.send(entry.data);
      else outbox.push(entry.data);
    }, delay);
  }

  function connect(): void {
    retryTimer = null;
    if (closedForGood) return;
    connection.set(attempts === 0 ? "connecting" : connection.status());
    let ws: WebSocketLike;
    try {
      ws = createSocket(currentUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      connection.set("connected");
      for (const data of outbox.splice(0)) ws.send(data);
    };
    ws.onmessage = (event) => handleMessage(event.data);
    ws.onerror = () => {
      // A close event always follows; reconnecting happens there.
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      const code = typeof event === "object" && event !== null && "code" in event ? Number(event.code) : undefined;
      failAll(connectionLost(code));
      if (closedForGood) return;
      connection.set("disconnected");
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closedForGood || retryTimer) return;
    const base = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempts);
    attempts += 1;
    // Jitter so several tabs do not hammer a restarting server in lockstep.
    retryTimer = setTimeout(connect, base * (0.75 + Math.random() * 0.5));
  }

  function call(method: MethodName, input: unknown): Promise<unknown> {
    if (closedForGood || connection.status() === "disconnected") return Promise.reject(connectionLost());
    const id = nextId++;
    const data = JSON.stringify({ id, method, input: input ?? {} });
    if (tooLarge(data)) {
      const megabytes = Math.round(WS_MAX_PAYLOAD_BYTES / 1024 / 1024);
      return Promise.reject(new AppError("INVALID_INPUT", `This is too large to send to Hearth (over ${megabytes} MB). Shorten it and try again.`));
    }
    return new Promise((resolve, reject) => {
      pending.set(id, { method, data, busyReplies: 0, resolve, reject });
      if (socket && socket.readyState === OPEN) socket.send(data);
      else outbox.push(data);
    });
  }

  const api: Record<string, unknown> = {};
  for (const method of methodNames) api[method] = (input: unknown) => call(method, input);
  const subscribe: Record<string, unknown> = {};
  for (const name of eventNames) {
    subscribe[name] = (listener: (payload: unknown) => void) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    };
  }

  connect();

  // The loops above give exactly the shape of HearthApi; TypeScript cannot follow a mapped build.
  return {
    ...api,
    subscribe,
    connection,
    close() {
      closedForGood = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      failAll(connectionLost());
      connection.set("disconnected");
      ws?.close(1000, "closed");
    },
    reconnect(next: string) {
      if (closedForGood) return;
      currentUrl = next;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      // Detached first, so its close event does not schedule a reconnect of its own.
      socket = null;
      failAll(connectionLost());
      ws?.close(1000, "reconnecting");
      attempts = 0;
      connect();
    },
  } as unknown as WsApi;
}
