import { useState } from "react";
import type { ApiServerState, ApiServerUpdate } from "../../api/contract.js";
import { LockIcon } from "../../ui/LockIcon.js";

type Props = {
  state: ApiServerState;
  busy: boolean;
  error: string | null;
  notice: string | null;
  onUpdate: (update: ApiServerUpdate) => void;
  onCopyKey: () => void;
  onRotateKey: () => void;
};

/** The local API's switch, port, key and allowed origins; pure (the section does the calls), so it renders in tests. */
export function LocalApiForm({ state, busy, error, notice, onUpdate, onCopyKey, onRotateKey }: Props) {
  const [port, setPort] = useState(String(state.port));
  const [origins, setOrigins] = useState(state.allowedOrigins.join("\n"));
  const locked = state.policyRefusal !== null;
  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 1024 && portNumber <= 65535;
  const originList = origins
    .split(/[\s,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
  const originsChanged = originList.join("\n") !== state.allowedOrigins.join("\n");

  return (
    <div className="settings-form" data-testid="local-api-form">
      <div className="field">
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={state.enabled && !locked}
            disabled={busy || locked}
            onChange={(e) => onUpdate({ enabled: e.target.checked })}
            data-testid="local-api-switch"
          />{" "}
          <span className="field-label">Local API server (OpenAI-compatible)</span>
        </label>
        {locked && (
          <span className="field-warning" data-testid="local-api-locked">
            <LockIcon /> {state.policyRefusal}
          </span>
        )}
        <span className="field-help">
          Lets programs on this computer (your editor, scripts, internal tools) use the local model through the OpenAI API.
          It listens on 127.0.0.1 only and needs the key below; nothing leaves this computer.
        </span>
        {state.running && state.url && (
          <span className="field-help" data-testid="local-api-url">
            Running at <code>{state.url}</code>
          </span>
        )}
        {state.problem && (
          <span className="field-error" role="alert" data-testid="local-api-problem">
            {state.problem}
          </span>
        )}
      </div>
      <label className="field">
        <span className="field-label">Port</span>
        <div className="field-row">
          <input
            className="input mono"
            inputMode="numeric"
            value={port}
            disabled={busy || locked}
            aria-invalid={!portValid}
            onChange={(e) => setPort(e.target.value)}
            data-testid="local-api-port"
          />
          <button
            type="button"
            className="button ghost"
            disabled={busy || locked || !portValid || portNumber === state.port}
            onClick={() => onUpdate({ port: portNumber })}
            data-testid="local-api-port-save"
          >
            Use this port
          </button>
        </div>
        {!portValid && <span className="field-error">A port is a number from 1024 to 65535.</span>}
      </label>
      <div className="field">
        <span className="field-label">API key</span>
        <div className="field-row">
          <code className="path-box" data-testid="local-api-key">
            {state.keyPreview || "Made when the server is first switched on"}
          </code>
          <button type="button" className="button ghost" disabled={busy} onClick={onCopyKey} data-testid="local-api-copy-key">
            Copy
          </button>
          <button type="button" className="button ghost" disabled={busy} onClick={onRotateKey} data-testid="local-api-rotate-key">
            New key
          </button>
        </div>
        <span className="field-help">
          Programs send it as <code>Authorization: Bearer &lt;key&gt;</code>. A new key stops the old one at once.
          {state.keyFromLaunch && " This launch uses the key it was started with (--api-key or HEARTH_API_KEY)."}
        </span>
      </div>
      <label className="field">
        <span className="field-label">Web pages allowed to call it (CORS)</span>
        <textarea
          className="input mono"
          rows={2}
          spellCheck={false}
          placeholder="None: only programs, not web pages"
          value={origins}
          disabled={busy || locked}
          onChange={(e) => setOrigins(e.target.value)}
          data-testid="local-api-origins"
        />
        <span className="field-help">One origin a line, like http://localhost:3000. Leave empty unless a web app you trust needs it.</span>
        <div className="field-row">
          <button
            type="button"
            className="button ghost"
            disabled={busy || locked || !originsChanged}
            onClick={() => onUpdate({ allowedOrigins: originList })}
            data-testid="local-api-origins-save"
          >
            Save origins
          </button>
        </div>
      </label>
      {error && (
        <span className="field-error" role="alert" data-testid="local-api-error">
          {error}
        </span>
      )}
      {notice && (
        <span className="field-help" role="status" data-testid="local-api-notice">
          {notice}
        </span>
      )}
    </div>
  );
}
