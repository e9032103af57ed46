import type { DatabaseState } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { recoveryText } from "./database-recovery.js";
import { useDatabaseState } from "./use-database-state.js";
import "./recovery.css";

const formatTime = (ms: number) => new Date(ms).toLocaleString();

/**
 * Shown over everything while the core is in recovery after finding the database damaged at start: restore the
 * newest good backup or start fresh. Either way the page reloads, so every view reads the database anew.
 */
export function DatabaseRecovery() {
  const { state, busy, error, run } = useDatabaseState();
  if (!state) return null;
  return <RecoveryDialog state={state} busy={busy} error={error} onChoose={choose} />;

  async function choose(action: "restore" | "fresh") {
    const done = await run(() => (action === "restore" ? getApi().restoreDatabaseBackup({}) : getApi().startFreshDatabase({})));
    if (done) window.location.reload();
  }
}

/** The dialog itself, exported for its render test. */
export function RecoveryDialog(props: {
  state: DatabaseState;
  busy: boolean;
  error: string | null;
  onChoose: (action: "restore" | "fresh") => void;
}) {
  const text = recoveryText(props.state, formatTime);
  if (!text) return null;
  return (
    <div className="recovery-backdrop">
      <div className="recovery-dialog" role="alertdialog" aria-modal="true" aria-labelledby="recovery-title" data-testid="database-recovery">
        <h1 id="recovery-title">{text.title}</h1>
        <p>{text.detail}</p>
        {text.movedTo.length > 0 && (
          <div className="field">
            <span className="field-label">Moved aside</span>
            {text.movedTo.map((file) => (
              <code className="path-box" key={file}>
                {file}
              </code>
            ))}
          </div>
        )}
        {props.error && (
          <p className="field-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="recovery-actions">
          {text.restoreLabel && (
            <button type="button" className="button primary" disabled={props.busy} onClick={() => props.onChoose("restore")} data-testid="database-restore">
              {text.restoreLabel}
            </button>
          )}
          <button
            type="button"
            className={text.restoreLabel ? "button ghost" : "button primary"}
            disabled={props.busy}
            onClick={() => props.onChoose("fresh")}
            data-testid="database-start-fresh"
          >
            {text.freshLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
