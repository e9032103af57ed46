import { getApi } from "../../api/get-api.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { encryptionSummary } from "./database-recovery.js";
import { useDatabaseState } from "./use-database-state.js";

/** Settings panel: encryption of the database at rest, locked on when the organisation's policy requires it. */
export function DatabaseEncryption() {
  const { state, busy, error, run } = useDatabaseState();

  async function toggle(enabled: boolean) {
    await run(() => getApi().setDatabaseEncryption({ enabled }));
  }

  return (
    <div className="panel" data-testid="database-encryption">
      <h2>Encryption at rest</h2>
      {state ? (
        <div className="field">
          <label className="field-row">
            <input
              type="checkbox"
              checked={state.encrypted}
              disabled={busy || state.status !== "ok" || (state.encrypted && state.encryptionRequired)}
              onChange={(e) => void toggle(e.target.checked)}
              data-testid="database-encryption-toggle"
            />
            <span>Encrypt the database</span>
            {state.encryptionRequired && <LockIcon />}
          </label>
          <span className="field-help">{encryptionSummary(state)}</span>
          <span className="field-help">
            {state.backupCount} rolling backup{state.backupCount === 1 ? "" : "s"} kept in the data folder (one at each start and
            before each upgrade or conversion).
          </span>
        </div>
      ) : (
        !error && <p className="muted">Loading…</p>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
