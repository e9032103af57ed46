import { events, type EventName, type EventPayload } from "./contract.js";

/** Parses an incoming event against the contract; null (and a console warning) when it does not fit. */
export function parseEvent<E extends EventName>(name: E, payload: unknown): EventPayload<E> | null {
  const parsed = events[name].safeParse(payload);
  if (!parsed.success) {
    console.warn(`Hearth: dropped a malformed "${name}" event`, parsed.error.issues[0]);
    return null;
  }
  return parsed.data as EventPayload<E>;
}
