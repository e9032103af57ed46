import { useEffect, useState } from "react";
import type { DatabaseState } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { toAppError } from "../../state/notices.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { encryptionSummary } from "./database-recovery.js";

/** Settings panel: encryption of the database at rest, locked on when the organisation's policy requires it. */
export function DatabaseEncryption() {
  const [state, setState] = useState<DatabaseState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getApi()
      .getDatabaseState({})
      .then((next) => live && setState(next))
      .catch((failure: unknown) => live && setError(toAppError(failure).message));
    return () => {
      live = false;
    };
  }, []);

  async function toggle(enabled: boolean) {
    setBusy(true);
    setError(null);
    try {
      setState(await getApi().setDatabaseEncryption({ enabled }));
    } catch (failure) {
      setError(toAppError(failure).message);
    }
    setBusy(false);
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
