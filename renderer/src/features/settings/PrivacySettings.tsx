import { useState } from "react";
import type { AppSettings, EscalationLevel, PrivacyMode } from "../../api/contract.js";
import { saveAppSettings } from "../../state/settings-actions.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { LocalModelCheckSetting } from "./LocalModelCheckSetting.js";
import { privacyModeOptions } from "../privacy/privacy-modes.js";
import { Segmented } from "../../ui/Segmented.js";

const levels: { level: EscalationLevel; label: string; help: string }[] = [
  { level: "rarely", label: "Rarely", help: "Only questions the local model is very unlikely to handle." },
  { level: "balanced", label: "Balanced", help: "Hard reasoning, long code, multi-step math." },
  { level: "often", label: "Often", help: "Anything the local model may answer poorly." },
];

/** The organisation's policy, read-only, with where it came from. */
function PolicyView({ settings }: { settings: AppSettings }) {
  const policy = settings.policy;
  if (policy.source === null) return null;
  const rows: [string, string][] = [
    ["Privacy mode", policy.lockedPrivacyMode ? `Locked to ${privacyModeOptions.find((o) => o.mode === policy.lockedPrivacyMode)?.label}` : "Each chat chooses"],
    ["Provider kinds", policy.allowedProviderKinds?.join(", ") ?? "Any"],
    ["Provider hosts", policy.allowedProviderHosts?.join(", ") ?? "Any"],
    ["Hugging Face endpoint", policy.huggingFaceEndpoint ?? "Not fixed"],
    ["Ask when unsure (Auto)", policy.forceAskWhenUnsure ? "Always on" : "Each user chooses"],
  ];
  return (
    <div className="policy-box" data-testid="policy">
      <div className="policy-head">
        <LockIcon /> Organisation policy
      </div>
      <p className="small-text muted">
        Read from <code data-testid="policy-source">{policy.source}</code>. Settings it fixes cannot be changed here.
      </p>
      <dl className="provider-facts">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * "Ask when unsure (Auto mode)": Auto shows the preview instead of sending when Hearth is not sure it hid everything
 * (a password-like value, detectors that disagree). Locked on, with the reason, when the organisation's policy says so.
 */
export function AskWhenUnsure({ settings, saving, onChange }: { settings: AppSettings; saving: boolean; onChange: (on: boolean) => void }) {
  const forced = settings.policy.forceAskWhenUnsure === true;
  return (
    <div className="field">
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={forced || settings.askWhenUnsure}
          disabled={saving || forced}
          onChange={(e) => onChange(e.target.checked)}
          data-testid="ask-when-unsure"
        />{" "}
        <span className="field-label">Ask when unsure (Auto mode)</span>
      </label>
      {forced ? (
        <span className="field-warning" data-testid="ask-when-unsure-locked">
          <LockIcon /> Set by your organisation&rsquo;s policy ({settings.policy.source}).
        </span>
      ) : (
        <span className="field-help">
          In Auto, a message that looks like it holds a password or key, or where the detectors disagree or are unsure,
          is shown to you before it is sent, as in Ask. Only that message; the chat stays in Auto.
        </span>
      )}
    </div>
  );
}

/** Default privacy mode of new chats and how readily the router proposes the cloud. */
export function PrivacySettings({ settings }: { settings: AppSettings }) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const locked = settings.policy.lockedPrivacyMode;

  async function save(change: { defaultPrivacyMode?: PrivacyMode; escalationLevel?: EscalationLevel; askWhenUnsure?: boolean; localModelCheck?: boolean }) {
    setSaving(true);
    setSaved(null);
    const failure = await saveAppSettings(change);
    setSaving(false);
    setError(failure?.message ?? null);
    if (!failure) setSaved("Saved.");
  }

  return (
    <div className="panel" data-testid="privacy-settings">
      <h2>Privacy</h2>
      <PolicyView settings={settings} />
      <div className="settings-form app-settings-form">
        <label className="field">
          <span className="field-label">New chats start in</span>
          <select
            className="select"
            value={locked ?? settings.defaultPrivacyMode}
            disabled={saving || locked !== null}
            onChange={(e) => void save({ defaultPrivacyMode: e.target.value as PrivacyMode })}
            data-testid="default-privacy-mode"
          >
            {privacyModeOptions.map((o) => (
              <option key={o.mode} value={o.mode}>
                {o.label}
              </option>
            ))}
          </select>
          <span className="field-help">
            {locked ? "Set by your organisation's policy." : privacyModeOptions.find((o) => o.mode === settings.defaultPrivacyMode)?.description}
          </span>
        </label>
        <fieldset className="field fieldset" disabled={saving || locked === "local"}>
          <legend className="field-label">Escalate to the cloud</legend>
          <Segmented
            label="Escalate to the cloud"
            testId="escalation-level"
            testIdPrefix="escalation-level"
            value={settings.escalationLevel}
            onChange={(escalationLevel) => void save({ escalationLevel })}
            options={levels.map((l) => ({ value: l.level, label: l.label, title: l.help }))}
          />
          <span className="field-help">{levels.find((l) => l.level === settings.escalationLevel)?.help} Applies to chats in Ask or Auto.</span>
        </fieldset>
        <AskWhenUnsure settings={settings} saving={saving} onChange={(askWhenUnsure) => void save({ askWhenUnsure })} />
        <LocalModelCheckSetting settings={settings} saving={saving} onChange={(localModelCheck) => void save({ localModelCheck })} />
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        {saved && (
          <span className="saved-note" role="status" data-testid="privacy-settings-saved">
            {saved}
          </span>
        )}
      </div>
    </div>
  );
}
