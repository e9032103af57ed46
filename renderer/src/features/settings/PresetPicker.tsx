import { useState } from "react";
import type { Preset } from "../../api/contract.js";
import { saveAppSettings } from "../../state/settings-actions.js";
import { useHearth } from "../../state/store.js";
import { withPreset, withoutPreset, type PresetValues } from "./preset-list.js";

const noPresets: Preset[] = [];

/**
 * Presets in a chat's settings: choosing one fills the form (Save keeps it for this chat); "Save as preset" keeps
 * the form's values under a name for other chats. `current` is the form parsed, or null while it is not valid.
 */
export function PresetPicker({ current, onApply }: { current: PresetValues | null; onApply: (preset: Preset) => void }) {
  const presets = useHearth((s) => s.appSettings?.presets ?? noPresets);
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function store(next: Preset[]): Promise<boolean> {
    const failure = await saveAppSettings({ presets: next });
    setError(failure?.message ?? null);
    return failure === null;
  }

  return (
    <div className="field preset-picker" data-testid="preset-picker">
      <span className="field-label">Preset</span>
      <div className="preset-row">
        <select
          className="select"
          value={chosen}
          aria-label="Apply a preset"
          onChange={(e) => {
            setChosen(e.target.value);
            const preset = presets.find((p) => p.id === e.target.value);
            if (preset) onApply(preset);
          }}
          data-testid="preset-select"
        >
          <option value="">{presets.length === 0 ? "No presets yet" : "Apply a preset…"}</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {chosen !== "" && (
          <button
            type="button"
            className="button ghost small"
            onClick={() => void store(withoutPreset(presets, chosen)).then((ok) => ok && setChosen(""))}
            data-testid="preset-remove"
          >
            Remove
          </button>
        )}
        {naming === null && (
          <button type="button" className="button ghost small" disabled={current === null} onClick={() => setNaming("")} data-testid="preset-save-as">
            Save as preset
          </button>
        )}
      </div>
      {naming !== null && (
        <div className="preset-row">
          <input
            className="input"
            aria-label="Preset name"
            placeholder="Name, e.g. Precise"
            maxLength={80}
            value={naming}
            onChange={(e) => setNaming(e.target.value)}
            autoFocus
            data-testid="preset-name"
          />
          <button
            type="button"
            className="button primary small"
            disabled={naming.trim() === "" || current === null}
            onClick={() => {
              if (!current) return;
              void store(withPreset(presets, naming, current, () => crypto.randomUUID())).then((ok) => ok && setNaming(null));
            }}
            data-testid="preset-name-save"
          >
            Save
          </button>
          <button type="button" className="button ghost small" onClick={() => setNaming(null)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
