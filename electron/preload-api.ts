/**
 * Builds `window.hearth` for Electron from the contract; pure, so it is tested without Electron.
 *
 * Bridge design (see electron/contract/bridge.ts): contextBridge copies values and strips class identity, so an
 * AppError thrown here would reach the page as a bare Error. The preload therefore exposes a {@link HearthBridge}:
 * one function per method that resolves with the plain WireResult and never rejects, and one subscribe per event
 * that returns an unsubscribe. The renderer calls `unwrapHearthBridge(window.hearth)` (from the contract) to get
 * the throwing {@link HearthApi}. Nothing here exposes ipcRenderer, the IPC event object, or a generic invoke.
 */
import {
  eventChannel,
  eventNames,
  methodChannel,
  methodNames,
  type EventName,
  type HearthApi,
} from "./contract/index.js";
import { toWireResult, unwrapHearthBridge, type HearthBridge } from "./contract/bridge.js";

export { unwrapHearthBridge, type HearthBridge } from "./contract/bridge.js";

/** The slice of ipcRenderer the preload uses; ipcRenderer satisfies it. */
export type PreloadIpc = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

export function buildHearthBridge(ipc: PreloadIpc): HearthBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of methodNames) {
    const channel = methodChannel(method);
    bridge[method] = async (input: unknown) => {
      try {
        return toWireResult(await ipc.invoke(channel, input));
      } catch {
        // invoke rejects only when main has no handler or the window is going away; the page gets an AppError.
        return toWireResult(undefined);
      }
    };
  }
  const subscribe: Record<string, unknown> = {};
  for (const event of eventNames) subscribe[event] = subscriber(ipc, event);
  bridge.subscribe = Object.freeze(subscribe);
  return Object.freeze(bridge) as HearthBridge;
}

function subscriber(ipc: PreloadIpc, event: EventName) {
  const channel = eventChannel(event);
  return (listener: (payload: unknown) => void): (() => void) => {
    if (typeof listener !== "function") throw new TypeError(`subscribe.${event} needs a listener function`);
    // Only the payload crosses: the IPC event object carries `sender` (ipcRenderer itself).
    const onMessage = (_event: unknown, payload: unknown) => listener(payload);
    ipc.on(channel, onMessage);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(channel, onMessage);
    };
  };
}

/** The throwing API over IPC in one step: what the renderer gets after `unwrapHearthBridge(window.hearth)`. */
export function buildHearthApi(ipc: PreloadIpc): HearthApi {
  return unwrapHearthBridge(buildHearthBridge(ipc));
}
