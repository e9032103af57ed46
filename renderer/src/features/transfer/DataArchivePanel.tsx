import { useState, type FormEvent } from "react";
import type { MethodOutput } from "../../api/contract.js";
import { archiveCountsText, exportAllData, restoreDataArchive } from "../../state/transfer-actions.js";
import { formatBytes } from "../../ui/format.js";

type Saved = MethodOutput<"exportAllData">;

/** "Saved 2 conversations (...) to /path (1.2 MB)." */
export function archiveSavedText(saved: Saved): string {
  return `Saved ${archiveCountsText(saved.counts)} to ${saved.path} (${formatBytes(saved.bytes)}).`;
}

/**
 * Settings: Export all data into one archive, and restore one into a new data folder. The archive is written by the
 * core (it can be larger than any reply), so the panel shows where; restoring takes that path.
 */
export function DataArchivePanel() {
  const [saved, setSaved] = useState<Saved | null>(null);
  const [archivePath, setArchivePath] = useState("");
  const [busy, setBusy] = useState(false);

  async function exportAll() {
    setBusy(true);
    setSaved(await exportAllData());
    setBusy(false);
  }

  async function restore(event: FormEvent) {
    event.preventDefault();
    const path = archivePath.trim();
    if (!path) return;
    setBusy(true);
    if (await restoreDataArchive(path)) setArchivePath("");
    setBusy(false);
  }

  return (
    <div className="panel" data-testid="data-archive">
      <h2>Your data</h2>
      <div className="field">
        <button type="button" className="button" disabled={busy} onClick={() => void exportAll()} data-testid="export-all-data">
          Export all data
        </button>
        <span className="field-help">
          One file with every conversation, your settings, your providers (without their keys) and the audit log. Models are not
          included; keys and tokens never are.
        </span>
        {saved && (
          <span className="field-help" data-testid="export-all-data-result">
            {archiveSavedText(saved)}
          </span>
        )}
      </div>
      <form className="field" onSubmit={(e) => void restore(e)}>
        <label className="field-label" htmlFor="restore-archive-path">
          Restore an archive into this new data folder
        </label>
        <input
          id="restore-archive-path"
          className="input"
          placeholder="/path/to/hearth-data-….hearth-archive.json"
          value={archivePath}
          onChange={(e) => setArchivePath(e.target.value)}
          data-testid="restore-archive-path"
        />
        <button type="submit" className="button small" disabled={busy || !archivePath.trim()} data-testid="restore-archive">
          Restore
        </button>
        <span className="field-help">Only into a data folder that has no conversations, providers or audit log yet.</span>
      </form>
    </div>
  );
}
