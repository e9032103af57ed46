import { useState, type ChangeEvent, type FormEvent } from "react";
import type { ImportProgress } from "../../api/contract.js";
import { importConversationPath, importProgressText, pickAndImportConversations } from "../../state/path-import-actions.js";
import { useHearth } from "../../state/store.js";
import { importConversationFile } from "../../state/transfer-actions.js";
import "./transfer.css";

export type ImportPanelProps = {
  canPickFiles: boolean;
  path: string;
  busy: boolean;
  progress: ImportProgress | null;
  onPath: (path: string) => void;
  onSubmitPath: (event: FormEvent) => void;
  onPick: () => void;
  onFile: (event: ChangeEvent<HTMLInputElement>) => void;
};

/**
 * What Import offers. A file of any size is imported by its path, read by the core as a stream: chosen with the
 * system's dialog in the desktop app, typed or pasted in browser mode (the page cannot hand over a path). In the
 * browser a small file can also be picked and sent whole.
 */
export function ImportConversationPanel(props: ImportPanelProps) {
  const { canPickFiles, path, busy, progress } = props;
  return (
    <div className="import-conversation-panel">
      {canPickFiles ? (
        <button type="button" className="button small" disabled={busy} onClick={props.onPick} data-testid="conversation-import-pick">
          {busy ? "Importing…" : "Choose a file…"}
        </button>
      ) : (
        <form className="import-conversation-path" onSubmit={props.onSubmitPath}>
          <label className="field-label" htmlFor="conversation-import-path">
            Path to the file on this computer (any size)
          </label>
          <input
            id="conversation-import-path"
            className="input"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/home/you/Downloads/conversations.json"
            value={path}
            onChange={(e) => props.onPath(e.target.value)}
            data-testid="conversation-import-path"
          />
          <button type="submit" className="button small" disabled={busy || path.trim() === ""} data-testid="conversation-import-path-submit">
            {busy ? "Importing…" : "Import"}
          </button>
        </form>
      )}
      {!canPickFiles && (
        <label className="import-conversation-file">
          or pick a small file (up to 6 M characters)
          <input type="file" accept=".json,application/json" className="visually-hidden-input" disabled={busy} onChange={props.onFile} data-testid="conversation-import-file" />
        </label>
      )}
      {progress && busy && (
        <p className="field-help" role="status" data-testid="conversation-import-progress">
          {importProgressText(progress)}
        </p>
      )}
      <p className="field-help">A Hearth JSON export, or ChatGPT&apos;s conversations.json from its data export.</p>
    </div>
  );
}

/** Import in the sidebar: a disclosure with the ways in (above); it stays open while an import runs, to show how far. */
export function ImportConversationButton() {
  const canPickFiles = useHearth((s) => s.appInfo?.canPickFiles ?? false);
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  async function run(task: () => Promise<unknown>) {
    setBusy(true);
    setProgress(null);
    try {
      return await task();
    } finally {
      setBusy(false);
    }
  }

  function submitPath(event: FormEvent) {
    event.preventDefault();
    const trimmed = path.trim();
    if (trimmed) void run(async () => (await importConversationPath(trimmed, setProgress)) && setPath(""));
  }

  function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared at once, so picking the same file again (after fixing it) fires a change too.
    input.value = "";
    if (file) void run(() => importConversationFile(file));
  }

  return (
    <details className="import-conversation-menu" data-testid="conversation-import">
      <summary className="import-conversation" title="Import a Hearth JSON export or ChatGPT's conversations.json">
        Import…
      </summary>
      <ImportConversationPanel
        canPickFiles={canPickFiles}
        path={path}
        busy={busy}
        progress={progress}
        onPath={setPath}
        onSubmitPath={submitPath}
        onPick={() => void run(() => pickAndImportConversations(setProgress))}
        onFile={picked}
      />
    </details>
  );
}
