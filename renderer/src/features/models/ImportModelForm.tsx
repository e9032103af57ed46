import { useState, type FormEvent } from "react";
import type { AppError } from "../../api/contract.js";
import { importModel, pickAndImportModel, type ImportResult } from "../../state/actions.js";
import { useHearth } from "../../state/store.js";
import { importErrorHint } from "./import-error-hint.js";

/** Import a local .gguf: the native picker in Electron, a path field in browser mode. */
export function ImportModelForm() {
  const canPickFiles = useHearth((s) => s.appInfo?.canPickFiles ?? false);
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [imported, setImported] = useState<string | null>(null);

  async function run(task: () => Promise<ImportResult>) {
    setBusy(true);
    setError(null);
    setImported(null);
    const result = await task();
    setBusy(false);
    if (result.ok) {
      setImported(result.model.name);
      setPath("");
    } else {
      setError(result.error);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = path.trim();
    if (trimmed) void run(() => importModel(trimmed));
  }

  return (
    <div className="import-model">
      {canPickFiles ? (
        <button type="button" className="button primary" disabled={busy} onClick={() => void run(pickAndImportModel)} data-testid="pick-model">
          {busy ? "Importing…" : "Choose file…"}
        </button>
      ) : (
        <form className="import-model-form" onSubmit={submit}>
          <label className="field-label" htmlFor="model-path">
            Path to a .gguf file on this computer
          </label>
          <div className="import-model-row">
            <input
              id="model-path"
              className="input"
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="/home/you/models/my-model.gguf"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              data-testid="model-path-input"
            />
            <button type="submit" className="button primary" disabled={busy || path.trim() === ""} data-testid="import-model">
              {busy ? "Importing…" : "Import"}
            </button>
          </div>
        </form>
      )}
      {error && (
        <div className="alert alert-error" role="alert" data-testid="import-error" data-code={error.code}>
          <strong>Could not import the model.</strong> {error.message}
          {importErrorHint(error.code) && <div className="alert-hint">{importErrorHint(error.code)}</div>}
        </div>
      )}
      {imported && (
        <div className="alert alert-success" role="status" data-testid="import-success">
          Imported {imported}.
        </div>
      )}
    </div>
  );
}
