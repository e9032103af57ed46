import { useState, type FormEvent } from "react";
import type { AppSettings } from "../../api/contract.js";
import { saveAppSettings } from "../../state/settings-actions.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { LocalApiSection } from "../api/LocalApiSection.js";
import { DatabaseEncryption } from "../recovery/DatabaseEncryption.js";
import { DataArchivePanel } from "../transfer/DataArchivePanel.js";
import { checkEndpoint, defaultHuggingFaceEndpoint, tokenChange } from "./endpoint.js";
import { AppearanceSettings } from "./AppearanceSettings.js";
import { NewChatDefaults } from "./NewChatDefaults.js";
import { PrivacySettings } from "./PrivacySettings.js";
import { ProvidersSection } from "./ProvidersSection.js";
import "./settings.css";

/** The Hugging Face endpoint and access token; exported for its render test. */
export function HuggingFaceForm({ settings }: { settings: AppSettings }) {
  const [endpoint, setEndpoint] = useState(settings.huggingFaceEndpoint);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [askingRemove, setAskingRemove] = useState(false);
  const check = checkEndpoint(endpoint);
  const endpointChanged = check.ok ? check.value !== settings.huggingFaceEndpoint : endpoint !== settings.huggingFaceEndpoint;
  const dirty = endpointChanged || token.trim() !== "";
  const endpointLocked = settings.policy.huggingFaceEndpoint !== null;
  const tokenEffect = tokenChange(settings, check, token);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!check.ok) {
      setError(check.message);
      return;
    }
    if (tokenEffect.error) {
      setError(tokenEffect.error);
      return;
    }
    setSaving(true);
    const failure = await saveAppSettings({
      ...(endpointChanged ? { huggingFaceEndpoint: check.value } : {}),
      ...(token.trim() !== "" ? { huggingFaceToken: token.trim() } : {}),
    });
    setSaving(false);
    setError(failure?.message ?? null);
    if (!failure) {
      setToken("");
      setEndpoint(check.value);
      setSaved("Saved.");
    }
  }

  async function removeToken() {
    setAskingRemove(false);
    setSaving(true);
    const failure = await saveAppSettings({ huggingFaceToken: null });
    setSaving(false);
    setError(failure?.message ?? null);
    if (!failure) setSaved("The token was removed.");
  }

  return (
    <form className="settings-form app-settings-form" onSubmit={save} noValidate>
      <label className="field">
        <span className="field-label">Hugging Face endpoint</span>
        <div className="field-row">
          <input
            className="input mono"
            type="url"
            spellCheck={false}
            autoComplete="off"
            value={endpoint}
            disabled={endpointLocked}
            aria-invalid={!check.ok}
            onChange={(e) => {
              setEndpoint(e.target.value);
              setSaved(null);
              setError(null);
            }}
            data-testid="hf-endpoint-input"
          />
          <button
            type="button"
            className="button ghost"
            disabled={endpointLocked || endpoint === defaultHuggingFaceEndpoint}
            onClick={() => {
              setEndpoint(defaultHuggingFaceEndpoint);
              setSaved(null);
              setError(null);
            }}
            data-testid="hf-endpoint-reset"
          >
            Reset to huggingface.co
          </button>
        </div>
        {endpointLocked && (
          <span className="field-warning" data-testid="hf-endpoint-locked">
            <LockIcon /> Set by your organisation's policy ({settings.policy.source}).
          </span>
        )}
        <span className="field-help">
          Where Hearth searches for models and downloads them. An organisation can point Hearth at its internal mirror of
          Hugging Face (any server with the same API), so that downloads stay inside its network and only approved models
          are offered.
        </span>
        {!check.ok && endpoint.trim() !== "" && (
          <span className="field-error" data-testid="hf-endpoint-error">
            {check.message}
          </span>
        )}
        {check.ok && check.insecure && (
          <span className="field-warning" data-testid="hf-endpoint-insecure">
            This address uses plain http: files would cross the network unencrypted, and Hearth will not send an access
            token to it.
          </span>
        )}
        {tokenEffect.warning && (
          <span className="field-warning" role="status" data-testid="hf-token-will-be-removed">
            {tokenEffect.warning}
          </span>
        )}
      </label>

      <div className="field">
        <label className="field-label" htmlFor="hf-token">
          Access token
        </label>
        {settings.hasHuggingFaceToken && (
          <div className="token-stored" data-testid="hf-token-stored">
            <span>
              <span className="dot" aria-hidden="true" /> A token is stored for{" "}
              <span className="mono" data-testid="hf-token-origin">
                {settings.huggingFaceTokenOrigin}
              </span>
            </span>
            <button type="button" className="button small ghost danger" disabled={saving} onClick={() => setAskingRemove(true)} data-testid="hf-token-remove">
              Remove
            </button>
            {askingRemove && (
              <ConfirmDialog
                title="Remove the stored access token?"
                confirmLabel="Remove"
                danger
                testId="hf-token-remove-dialog"
                onConfirm={() => void removeToken()}
                onCancel={() => setAskingRemove(false)}
              >
                <p>Gated models will no longer download until you add one again.</p>
              </ConfirmDialog>
            )}
          </div>
        )}
        <input
          id="hf-token"
          className="input mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={settings.hasHuggingFaceToken ? "Paste a new token to replace it" : "hf_…"}
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            setSaved(null);
          }}
          data-testid="hf-token-input"
        />
        {settings.huggingFaceTokenNotice && !settings.hasHuggingFaceToken && (
          <span className="field-warning" role="status" data-testid="hf-token-notice">
            {settings.huggingFaceTokenNotice}
          </span>
        )}
        <span className="field-help">
          Only needed for gated or private models. Hearth keeps it on this computer, sends it only to the host it was
          entered for, over https (or to this computer), and never shows it again. Changing the endpoint to another host
          removes it.
        </span>
        {settings.secretsWarning && (
          <span className="field-warning" data-testid="secrets-warning">
            {settings.secretsWarning}
          </span>
        )}
      </div>

      {error && (
        <div className="alert alert-error" role="alert" data-testid="app-settings-error">
          {error}
        </div>
      )}
      <div className="settings-actions end">
        {saved && !dirty && (
          <span className="saved-note" role="status" data-testid="app-settings-saved">
            {saved}
          </span>
        )}
        <button type="submit" className="button primary" disabled={saving || !dirty} data-testid="app-settings-save">
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

/** App-wide settings: where models come from. Per-chat settings live beside each chat. */
export function AppSettingsView() {
  const settings = useHearth((s) => s.appSettings);
  return (
    <section className="app-settings-view" data-testid="app-settings">
      <header className="page-header">
        <h1>Settings</h1>
        <p className="muted">
          These apply to the whole app. Each chat's model, prompt, limits and privacy mode are set in the chat itself.
        </p>
      </header>
      {settings && <AppearanceSettings settings={settings} />}
      {settings && <NewChatDefaults settings={settings} />}
      {settings && <PrivacySettings settings={settings} />}
      <ProvidersSection />
      <div className="panel">
        <h2>Model downloads</h2>
        {settings ? <HuggingFaceForm settings={settings} /> : <p className="muted">Loading…</p>}
      </div>
      {settings && (
        <div className="panel">
          <h2>Storage</h2>
          <div className="field">
            <span className="field-label">Models folder</span>
            <code className="path-box" data-testid="models-dir">
              {settings.modelsDir}
            </code>
            <span className="field-help">Downloaded models are kept here and deleted with them. Imported files stay where they are.</span>
          </div>
        </div>
      )}
      <LocalApiSection />
      <DatabaseEncryption />
      <DataArchivePanel />
    </section>
  );
}
