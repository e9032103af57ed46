import { useEffect, useReducer, useRef, type FormEvent } from "react";
import { importModel, pickAndImportModel, type ImportResult } from "../../state/actions.js";
import { useHearth } from "../../state/store.js";
import { importErrorHint } from "./import-error-hint.js";
import { importFormReducer, initialImportForm } from "./import-form-state.js";

/** Import a local .gguf: the native picker in Electron, a path field in browser mode. */
export function ImportModelForm() {
  const canPickFiles = useHearth((s) => s.appInfo?.canPickFiles ?? false);
  const [{ path, busy, error, added }, dispatch] = useReducer(importFormReducer, initialImportForm);
  const errorRef = useRef<HTMLDivElement>(null);

  // The form sits low on the Models page: an error below the fold would go unseen.
  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [error]);

  async function run(task: () => Promise<ImportResult>) {
    dispatch({ type: "start" });
    dispatch({ type: "done", result: await task() });
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
              onChange={(e) => dispatch({ type: "edit", path: e.target.value })}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "model-path-error" : undefined}
              data-testid="model-path-input"
            />
            <button type="submit" className="button primary" disabled={busy || path.trim() === ""} data-testid="import-model">
              {busy ? "Importing…" : "Import"}
            </button>
          </div>
        </form>
      )}
      {error && (
        <div ref={errorRef} id="model-path-error" className="alert alert-error" role="alert" data-testid="import-error" data-code={error.code}>
          <strong>Could not import the model.</strong> {error.message}
          {importErrorHint(error.code) && <div className="alert-hint">{importErrorHint(error.code)}</div>}
        </div>
      )}
      {added && (
        <div className="alert alert-success" role="status" data-testid="import-success">
          {added}
        </div>
      )}
    </div>
  );
}
