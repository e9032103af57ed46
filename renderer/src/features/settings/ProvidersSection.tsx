import { useState } from "react";
import type { Provider } from "../../api/contract.js";
import { removeProvider, testProvider, type TestResult } from "../../state/provider-actions.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { formatDuration } from "../../ui/format.js";
import { ProviderForm } from "./ProviderForm.js";
import { keyStatus, providerKindInfo } from "./provider-form.js";

function ProviderRow({ provider, onEdit }: { provider: Provider; onEdit: () => void }) {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const [asking, setAsking] = useState(false);
  // The core's verdict (the same rule its egress gate applies), not a copy of the policy's host rules.
  const refusal = provider.policyRefusal ?? null;

  async function test() {
    setTesting(true);
    setResult(null);
    setResult(await testProvider(provider.id));
    setTesting(false);
  }

  return (
    <li className="provider-row" data-testid="provider-row" data-provider-id={provider.id}>
      <div className="provider-info">
        <div className="provider-title">
          <strong data-testid="provider-row-name">{provider.name}</strong>
          <span className="badge">{providerKindInfo(provider.kind).label.replace(/ \(.*\)$/, "")}</span>
          {provider.internal && (
            <span
              className="badge"
              title="Your organisation's policy names this server as its own: requests to it are still recorded in the audit log."
              data-testid="provider-internal"
            >
              Your organisation's server
            </span>
          )}
          {refusal && (
            <span className="badge badge-error" title={refusal} data-testid="provider-not-allowed">
              Not allowed by policy
            </span>
          )}
        </div>
        <dl className="provider-facts">
          <dt>Model</dt>
          <dd className="mono">{provider.model}</dd>
          <dt>Base URL</dt>
          <dd className="mono">{provider.baseUrl ?? "default"}</dd>
          <dt>Key</dt>
          <dd data-testid="provider-row-key" data-has-key={provider.hasKey ? "true" : "false"}>
            {keyStatus(provider)}
          </dd>
        </dl>
        {provider.keyNotice && !provider.hasKey && (
          <div className="field-warning" role="status" data-testid="provider-key-notice">
            {provider.keyNotice}
          </div>
        )}
        {result && (
          <div className={`provider-test-result ${result.ok ? "ok" : "failed"}`} role="status" data-testid="provider-test-result" data-ok={result.ok}>
            {result.ok ? "✓ " : "✕ "}
            {result.message}
            {result.latencyMs !== null && !result.message.includes(String(Math.round(result.latencyMs))) && ` · ${formatDuration(result.latencyMs)}`}
          </div>
        )}
      </div>
      <div className="provider-row-actions">
        <button type="button" className="button small" disabled={testing} onClick={() => void test()} data-testid="provider-test">
          {testing ? "Testing…" : "Test connection"}
        </button>
        <button type="button" className="button small ghost" onClick={onEdit} data-testid="provider-edit">
          Edit
        </button>
        <button
          type="button"
          className="button small ghost danger"
          onClick={() => setAsking(true)}
          data-testid="provider-remove"
        >
          Remove
        </button>
        {asking && (
          <ConfirmDialog
            title={`Remove ${provider.name} and its stored key?`}
            confirmLabel="Remove"
            danger
            testId="provider-remove-dialog"
            onConfirm={() => {
              setAsking(false);
              void removeProvider(provider.id);
            }}
            onCancel={() => setAsking(false)}
          >
            <p>Chats that used it fall back to another provider or stay local.</p>
          </ConfirmDialog>
        )}
      </div>
    </li>
  );
}

/** Where cloud answers may come from. Nothing is sent to any of them unless a chat's privacy mode allows it. */
export function ProvidersSection() {
  const providers = useHearth((s) => s.providers);
  const loaded = useHearth((s) => s.providersLoaded);
  const [editing, setEditing] = useState<Provider | "new" | null>(null);

  return (
    <div className="panel" data-testid="providers-section">
      <div className="panel-head">
        <h2>Cloud providers</h2>
        {editing === null && (
          <button type="button" className="button small" onClick={() => setEditing("new")} data-testid="provider-add">
            + Add provider
          </button>
        )}
      </div>
      <p className="muted small-text">
        Used only by chats set to Ask or Auto, and only for what you approve (Ask) or the router sends (Auto), with personal
        details hidden. Every request is in the audit log.
      </p>
      {loaded && providers.length === 0 && editing === null && <p className="muted">No cloud provider yet. Every chat stays local.</p>}
      {providers.length > 0 && (
        <ul className="provider-list">
          {providers.map((p) =>
            editing !== null && editing !== "new" && editing.id === p.id ? null : (
              <ProviderRow key={p.id} provider={p} onEdit={() => setEditing(p)} />
            ),
          )}
        </ul>
      )}
      {editing !== null && (
        <ProviderForm
          key={editing === "new" ? "new" : editing.id}
          provider={editing === "new" ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
    </div>
  );
}
