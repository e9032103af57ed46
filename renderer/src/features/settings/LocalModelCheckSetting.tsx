import type { AppSettings } from "../../api/contract.js";
import { useHearth } from "../../state/store.js";

/**
 * "Second check by the local model": before the preview, the loaded local model looks for personal values the
 * redactor missed. Offered only once a local model is installed; the core also skips it (and the preview says so)
 * when no model is loaded or the model is under 1B parameters.
 */
export function LocalModelCheckSetting(props: FieldProps) {
  const hasModels = useHearth((s) => s.models.length > 0);
  return hasModels ? <LocalModelCheckField {...props} /> : null;
}

type FieldProps = { settings: AppSettings; saving: boolean; onChange: (on: boolean) => void };

export function LocalModelCheckField({ settings, saving, onChange }: FieldProps) {
  return (
    <div className="field">
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={settings.localModelCheck}
          disabled={saving}
          onChange={(e) => onChange(e.target.checked)}
          data-testid="local-model-check"
        />{" "}
        <span className="field-label">Second check by the local model</span>
      </label>
      <span className="field-help">
        Before anything goes to the cloud, the local model that is loaded (1B parameters or more) reads the message once
        more for personal or confidential values the first pass missed. Adds up to 20 s before the preview; if it takes
        longer, the first pass stands and the preview says so.
      </span>
    </div>
  );
}
