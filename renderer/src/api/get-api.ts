import { unwrapHearthBridge, type EventName, type HearthApi, type HearthBridge } from "./contract.js";
import { alwaysConnected, type Connection } from "./connection.js";
import { onNewToken, takeToken, wsUrlFor } from "./browser-session.js";
import { parseEvent } from "./validate-events.js";
import { createWsApi } from "./ws-api.js";

declare global {
  interface Window {
    /** Set by Electron's preload (answers are WireResults, see contract/bridge.ts); absent in browser mode. */
    hearth?: HearthBridge;
  }
}

type Client = { api: HearthApi; connection: Connection; missingToken: boolean };
let client: Client | null = null;

/** Wraps preload's subscribe so events are checked against the contract here too, whatever sent them. */
function withValidatedEvents(api: HearthApi): HearthApi {
  const subscribe: Record<string, unknown> = {};
  for (const name of Object.keys(api.subscribe) as EventName[]) {
    const original = api.subscribe[name] as (listener: (payload: unknown) => void) => () => void;
    subscribe[name] = (listener: (payload: unknown) => void) =>
      original((payload) => {
        const parsed = parseEvent(name, payload);
        if (parsed !== null) listener(parsed);
      });
  }
  return { ...api, subscribe: subscribe as HearthApi["subscribe"] };
}

function createClient(): Client {
  if (window.hearth) {
    return { api: withValidatedEvents(unwrapHearthBridge(window.hearth)), connection: alwaysConnected, missingToken: false };
  }
  const replaceUrl = (url: string) => window.history.replaceState(null, "", url);
  const token = takeToken(window.location, window.sessionStorage, replaceUrl);
  // Without a token the server refuses us; connect anyway so the UI shows one consistent "disconnected" state.
  const ws = createWsApi(wsUrlFor(window.location, token ?? "missing"));
  const created: Client = { api: ws, connection: ws.connection, missingToken: token === null };
  // A new launch link pasted into this tab only changes the fragment (no reload): connect with its token now.
  onNewToken(window, window.location, window.sessionStorage, replaceUrl, (next) => {
    created.missingToken = false;
    ws.reconnect(wsUrlFor(window.location, next));
  });
  return created;
}

function getClient(): Client {
  client ??= createClient();
  return client;
}

/** The typed API: Electron's preload object when present, else the WebSocket client. Created on first use. */
export function getApi(): HearthApi {
  return getClient().api;
}

export function getConnection(): Connection {
  return getClient().connection;
}

/** True in browser mode when the page was opened without its `#token=` link. */
export function isMissingToken(): boolean {
  return getClient().missingToken;
}
