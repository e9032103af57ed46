import type { EventName, EventPayload } from "./events.js";
import type { MethodInput, MethodName, MethodOutput } from "./methods.js";

export * from "./errors.js";
export * from "./events.js";
export * from "./methods.js";
export * from "./schemas.js";
export * from "./cloud-access.js";
export * from "./message-parts.js";
export * from "./search.js";
export * from "./request-body.js";
export * from "./conversation-export.js";
export * from "./data-archive.js";
export * from "./api-server.js";

/** What the renderer sees as `window.hearth` (Electron) or the WebSocket client (browser mode). */
export type HearthApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>;
} & {
  subscribe: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};

/** IPC channel for a method; one channel per method so main can validate each separately. */
export const methodChannel = (method: MethodName): string => `hearth:method:${method}`;
export const eventChannel = (event: EventName): string => `hearth:event:${event}`;

/** What crosses a transport for a method call: either the output or a serialized AppError. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: import("./errors.js").SerializedAppError };
