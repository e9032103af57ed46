import { useState } from "react";
import type { AppSettings, Theme } from "../../api/contract.js";
import { saveAppSettings } from "../../state/settings-actions.js";
import { Segmented } from "../../ui/Segmented.js";

const themes: readonly { value: Theme; label: string; title: string }[] = [
  { value: "system", label: "System", title: "Light or dark as your system is set, and changes with it" },
  { value: "light", label: "Light", title: "Always light" },
  { value: "dark", label: "Dark", title: "Always dark" },
];

/** The theme switch: applied as soon as the core has saved it (see ui/use-applied-theme.ts). */
export function AppearanceSettings({ settings }: { settings: AppSettings }) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function choose(theme: Theme) {
    setSaving(true);
    const failure = await saveAppSettings({ theme });
    setSaving(false);
    setError(failure?.message ?? null);
  }

  return (
    <div className="panel" data-testid="appearance-settings">
      <h2>Appearance</h2>
      <fieldset className="field fieldset" disabled={saving}>
        <legend className="field-label">Theme</legend>
        <Segmented
          label="Theme"
          testId="theme"
          testIdPrefix="theme"
          value={settings.theme}
          dataMode={settings.theme}
          onChange={(theme) => void choose(theme)}
          options={themes}
        />
      </fieldset>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
