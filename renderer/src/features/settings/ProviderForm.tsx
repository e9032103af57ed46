import { useState, type FormEvent } from "react";
import type { Provider, ProviderKind } from "../../api/contract.js";
import { saveProvider } from "../../state/provider-actions.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import {
  emptyProviderDraft,
  providerDraft,
  providerKindInfo,
  providerKinds,
  toSaveProviderInput,
  type ProviderDraft,
  type ProviderField,
} from "./provider-form.js";

/**
 * Add or edit a cloud provider. The API key is write-only: once stored, the form says so and offers Replace or
 * Remove, and never shows it.
 */
export function ProviderForm({ provider, onDone }: { provider: Provider | null; onDone: (saved: Provider | null) => void }) {
  const secretsWarning = useHearth((s) => s.appSettings?.secretsWarning ?? null);
  const allowedKinds = useHearth((s) => s.appSettings?.policy.allowedProviderKinds ?? null);
  const kinds = providerKinds.filter((k) => allowedKinds === null || allowedKinds.includes(k.kind) || k.kind === provider?.kind);
  const [draft, setDraft] = useState<ProviderDraft>(() => (provider ? providerDraft(provider) : emptyProviderDraft(kinds[0]?.kind)));
  const [replacingKey, setReplacingKey] = useState(false);
  const [askingRemoveKey, setAskingRemoveKey] = useState(false);
  const [error, setError] = useState<{ field: ProviderField | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const info = providerKindInfo(draft.kind);
  const hasStoredKey = provider?.hasKey === true && !draft.removeKey;
  const check = toSaveProviderInput(draft, provider?.hasKey === true, provider?.keyOrigin ?? null);

  const edit = <K extends keyof ProviderDraft>(field: K, value: ProviderDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setError(null);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!check.ok) {
      setError({ field: check.field, message: check.message });
      return;
    }
    setSaving(true);
    const result = await saveProvider(check.value);
    setSaving(false);
    if ("error" in result) setError({ field: null, message: result.error.message });
    else onDone(result.provider);
  }

  const fieldError = (field: ProviderField) =>
    error?.field === field ? (
      <span className="field-error" data-testid="provider-field-error">
        {error.message}
      </span>
    ) : null;

  return (
    <form className="settings-form provider-form" onSubmit={save} noValidate data-testid="provider-form">
      <h3>{provider ? `Edit ${provider.name}` : "Add a cloud provider"}</h3>
      <label className="field">
        <span className="field-label">Kind</span>
        <select
          className="select"
          value={draft.kind}
          disabled={provider !== null}
          onChange={(e) => edit("kind", e.target.value as ProviderKind)}
          data-testid="provider-kind"
        >
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <div className="field-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            value={draft.name}
            placeholder={info.defaultName}
            maxLength={100}
            onChange={(e) => edit("name", e.target.value)}
            data-testid="provider-name"
          />
          {fieldError("name")}
        </label>
        <label className="field">
          <span className="field-label">Model</span>
          <input
            className="input mono"
            value={draft.model}
            placeholder={info.modelPlaceholder}
            spellCheck={false}
            maxLength={200}
            aria-invalid={error?.field === "model"}
            onChange={(e) => edit("model", e.target.value)}
            data-testid="provider-model"
          />
          {fieldError("model")}
        </label>
      </div>
      <label className="field">
        <span className="field-label">Base URL{info.needsBaseUrl ? "" : " (optional)"}</span>
        <input
          className="input mono"
          type="url"
          value={draft.baseUrl}
          placeholder={info.baseUrlPlaceholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error?.field === "baseUrl"}
          onChange={(e) => edit("baseUrl", e.target.value)}
          data-testid="provider-base-url"
        />
        {fieldError("baseUrl")}
        {check.ok && check.warning && (
          <span className="field-warning" data-testid="provider-base-url-insecure">
            {check.warning}
          </span>
        )}
        {check.ok && check.keyWarning && (
          <span className="field-warning" role="status" data-testid="provider-key-will-be-removed">
            {check.keyWarning}
          </span>
        )}
      </label>
      <div className="field">
        <label className="field-label" htmlFor="provider-key">
          API key
        </label>
        {hasStoredKey && !replacingKey ? (
          <div className="token-stored" data-testid="provider-key-stored">
            <span>
              <span className="dot" aria-hidden="true" /> A key is stored
              {provider?.keyOrigin ? (
                <>
                  {" "}
                  for <span className="mono">{provider.keyOrigin}</span>
                </>
              ) : null}
            </span>
            <span>
              <button type="button" className="button small ghost" onClick={() => setReplacingKey(true)} data-testid="provider-key-replace">
                Replace
              </button>
              <button
                type="button"
                className="button small ghost danger"
                onClick={() => setAskingRemoveKey(true)}
                data-testid="provider-key-remove"
              >
                Remove
              </button>
              {askingRemoveKey && (
                <ConfirmDialog
                  title="Remove the stored key?"
                  confirmLabel="Remove"
                  danger
                  testId="provider-key-remove-dialog"
                  onConfirm={() => {
                    setAskingRemoveKey(false);
                    edit("removeKey", true);
                  }}
                  onCancel={() => setAskingRemoveKey(false)}
                >
                  <p>Hearth cannot use this provider until you add one again.</p>
                </ConfirmDialog>
              )}
            </span>
          </div>
        ) : (
          <input
            id="provider-key"
            className="input mono"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={provider?.hasKey ? "Paste the new key" : draft.kind === "openai-compatible" ? "Only if your server needs one" : "Paste the key"}
            value={draft.apiKey}
            aria-invalid={error?.field === "apiKey"}
            onChange={(e) => edit("apiKey", e.target.value)}
            data-testid="provider-key"
          />
        )}
        {draft.removeKey && <span className="field-warning">The key will be removed when you save.</span>}
        {fieldError("apiKey")}
        {provider?.keyNotice && !provider.hasKey && (
          <span className="field-warning" role="status" data-testid="provider-key-notice">
            {provider.keyNotice}
          </span>
        )}
        <span className="field-help">
          Kept on this computer and sent only to the host it was entered for, over https (or to this computer). Changing
          the base URL to another host removes it. Hearth never shows it again.
        </span>
        {secretsWarning && (
          <span className="field-warning" data-testid="provider-secrets-warning">
            {secretsWarning}
          </span>
        )}
      </div>
      <details className="provider-prices">
        <summary>Prices, for the audit log's cost estimate</summary>
        <div className="field-grid">
          <label className="field">
            <span className="field-label">Input, $ per million tokens</span>
            <input className="input" inputMode="decimal" value={draft.inputPrice} onChange={(e) => edit("inputPrice", e.target.value)} />
            {fieldError("inputPrice")}
          </label>
          <label className="field">
            <span className="field-label">Output, $ per million tokens</span>
            <input className="input" inputMode="decimal" value={draft.outputPrice} onChange={(e) => edit("outputPrice", e.target.value)} />
            {fieldError("outputPrice")}
          </label>
        </div>
      </details>
      {error && error.field === null && (
        <div className="alert alert-error" role="alert" data-testid="provider-error">
          {error.message}
        </div>
      )}
      <div className="settings-actions end">
        <button type="button" className="button ghost" disabled={saving} onClick={() => onDone(null)} data-testid="provider-cancel">
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={saving} data-testid="provider-save">
          {saving ? "Saving…" : "Save provider"}
        </button>
      </div>
    </form>
  );
}
