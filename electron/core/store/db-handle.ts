import type { Db } from "./database.js";

export type DbHandle = {
  /** Stable for the life of the app: repositories keep it, and it always reaches the connection now open. */
  readonly db: Db;
  current(): Db;
  /** Points every holder of `db` at another connection and returns the previous one (the caller closes it). */
  swap(next: Db): Db;
};

/**
 * Restoring a backup or encrypting the database replaces the connection while the app runs; the stores of other
 * services (providers, audit log, downloads) were given `db` once at start and prepare their statements per call,
 * so forwarding to the live connection lets them carry on without being rebuilt.
 */
export function createDbHandle(initial: Db): DbHandle {
  let live = initial;
  const db = new Proxy({} as Db, {
    get(_target, property) {
      const value: unknown = Reflect.get(live, property, live);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(live) : value;
    },
    set(_target, property, value) {
      return Reflect.set(live, property, value, live);
    },
    has(_target, property) {
      return property in live;
    },
    getPrototypeOf() {
      return Object.getPrototypeOf(live) as object | null;
    },
  });
  return {
    db,
    current: () => live,
    swap(next) {
      const previous = live;
      live = next;
      return previous;
    },
  };
}
