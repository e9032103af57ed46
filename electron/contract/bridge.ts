import { AppError, appErrorSchema, type SerializedAppError } from "./errors.js";
import { eventNames, type EventName, type EventPayload } from "./events.js";
import { methodNames, type MethodInput, type MethodName, type MethodOutput } from "./methods.js";
import type { HearthApi, WireResult } from "./index.js";

/**
 * What Electron's preload exposes as `window.hearth`.
 *
 * Why WireResults and not a throwing API: contextBridge copies values between worlds, and an Error thrown
 * (or rejected) in the preload reaches the page as a plain Error without `code` or `retryable`. A plain
 * `{ ok, value | error }` object survives the copy intact, so the preload resolves with the WireResult and
 * never rejects; the renderer turns it into a throwing {@link HearthApi} with {@link unwrapHearthBridge}.
 */
export type HearthBridge = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<WireResult<MethodOutput<M>>>;
} & {
  subscribe: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};

const malformedAnswer: SerializedAppError = {
  code: "INTERNAL",
  message: "Hearth's window got an answer it could not read. Restart Hearth; the details are in the log.",
  retryable: false,
};

/** Anything that is not a well-formed WireResult becomes an INTERNAL error, never an `undefined` value. */
export function toWireResult(value: unknown): WireResult<unknown> {
  if (typeof value === "object" && value !== null && "ok" in value) {
    const candidate = value as { ok: unknown; value?: unknown; error?: unknown };
    if (candidate.ok === true && "value" in candidate) return { ok: true, value: candidate.value };
    if (candidate.ok === false) {
      const error = appErrorSchema.safeParse(candidate.error);
      return { ok: false, error: error.success ? error.data : malformedAnswer };
    }
  }
  return { ok: false, error: malformedAnswer };
}

/** The renderer's side of the bridge: one function per method that returns the value or throws an AppError. */
export function unwrapHearthBridge(bridge: HearthBridge): HearthApi {
  const api: Record<string, unknown> = {};
  for (const method of methodNames) {
    const call = bridge[method] as (input: unknown) => Promise<unknown>;
    api[method] = async (input: unknown) => {
      const result = toWireResult(await call(input));
      if (result.ok) return result.value;
      throw AppError.from(result.error);
    };
  }
  const subscribe: Record<string, unknown> = {};
  for (const event of eventNames) subscribe[event] = bridge.subscribe[event];
  api.subscribe = Object.freeze(subscribe);
  return Object.freeze(api) as HearthApi;
}
