import type { Handlers } from "../dispatch.js";
import type { DatabaseGuard } from "../store/database-guard.js";
import type { Store } from "../store/store.js";

type DatabaseHandlers = Pick<Handlers, "getDatabaseState" | "restoreDatabaseBackup" | "startFreshDatabase" | "setDatabaseEncryption">;

/** The contract's database methods: state, recovery after damage, encryption at rest. */
export function databaseHandlers(guard: DatabaseGuard, store: Store, onReplaced: () => void): DatabaseHandlers {
  const replaced = <T>(state: T): T => {
    // The restored file may hold answers that were streaming when it was copied.
    store.markInterrupted();
    onReplaced();
    return state;
  };
  return {
    async getDatabaseState() {
      return guard.state();
    },
    async restoreDatabaseBackup() {
      return replaced(guard.restoreNewestBackup());
    },
    async startFreshDatabase() {
      return replaced(guard.startFresh());
    },
    async setDatabaseEncryption({ enabled }) {
      return guard.setEncryption(enabled);
    },
  };
}
