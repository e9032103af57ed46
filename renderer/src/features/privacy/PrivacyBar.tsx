import { useState } from "react";
import type { Conversation, PrivacyMode } from "../../api/contract.js";
import { openAudit } from "../../state/audit-actions.js";
import { reportError, setView, updateConversationSettings } from "../../state/actions.js";
import { cloudSendCount } from "../../state/audit-state.js";
import { useHearth } from "../../state/store.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { conversationProvider, effectivePrivacy, privacyModeOption, privacyModeOptions, providerAllowed, providerLabel } from "./privacy-modes.js";
import "./privacy.css";
import { Segmented } from "../../ui/Segmented.js";

function ProviderPicker({ conversation }: { conversation: Conversation }) {
  const providers = useHearth((s) => s.providers);
  const policy = useHearth((s) => s.appSettings?.policy ?? null);
  const [saving, setSaving] = useState(false);
  const allowed = providers.filter((p) => providerAllowed(p, policy));
  const current = conversationProvider(conversation, providers, policy);

  if (allowed.length === 0) {
    return (
      <button type="button" className="link-button small-text" onClick={() => setView("settings")} data-testid="provider-missing">
        Add a cloud provider in Settings
      </button>
    );
  }

  async function choose(providerId: string) {
    setSaving(true);
    const error = await updateConversationSettings(conversation.id, { cloudProviderId: providerId });
    setSaving(false);
    if (error) reportError(error);
  }

  return (
    <label className="provider-picker">
      <span className="provider-picker-label">Cloud</span>
      <select
        className="select"
        value={current?.id ?? ""}
        disabled={saving}
        onChange={(e) => void choose(e.target.value)}
        data-testid="provider-picker"
      >
        {allowed.map((p) => (
          <option key={p.id} value={p.id}>
            {providerLabel(p)}
            {p.hasKey || p.kind === "openai-compatible" ? "" : " (no key)"}
          </option>
        ))}
      </select>
    </label>
  );
}

function AuditLink({ conversationId }: { conversationId: string }) {
  const count = useHearth((s) => cloudSendCount(s.audit, conversationId));
  return (
    <span className="audit-link" data-testid="cloud-send-count" data-count={count}>
      Sent to the cloud: {count}
      {" — "}
      <button type="button" className="link-button" onClick={() => openAudit(conversationId)} data-testid="audit-open-conversation">
        view
      </button>
    </span>
  );
}

/**
 * The conversation's privacy mode, always in sight under its title: what may leave this computer, to whom,
 * and how often it has. Locked by the organisation's policy, it is shown read-only with the reason.
 */
export function PrivacyBar({ conversation }: { conversation: Conversation }) {
  const policy = useHearth((s) => s.appSettings?.policy ?? null);
  const [saving, setSaving] = useState(false);
  const privacy = effectivePrivacy(conversation, policy);
  const option = privacyModeOption(privacy.mode);

  async function choose(mode: PrivacyMode) {
    if (mode === conversation.settings.privacyMode || privacy.locked) return;
    setSaving(true);
    const error = await updateConversationSettings(conversation.id, { privacyMode: mode });
    setSaving(false);
    if (error) reportError(error);
  }

  return (
    <div className={`privacy-bar mode-${privacy.mode}`} data-testid="privacy-bar">
      <div className="privacy-bar-main">
        {privacy.locked ? (
          <span className="privacy-locked" data-testid="privacy-mode" data-mode={privacy.mode} data-locked="true" title={privacy.reason ?? undefined}>
            <LockIcon /> {option.label}
          </span>
        ) : (
          <Segmented
            label="Privacy mode"
            testId="privacy-mode"
            testIdPrefix="privacy-mode-option"
            dataMode={privacy.mode}
            value={privacy.mode}
            disabled={saving}
            onChange={(mode) => void choose(mode)}
            options={privacyModeOptions.map((o) => ({
              value: o.mode,
              title: o.description,
              label: (
                <>
                  {o.mode === "local" && <span className="segment-dot" aria-hidden="true" />}
                  {o.label}
                </>
              ),
            }))}
          />
        )}
        <span className="privacy-explain" data-testid="privacy-explanation">
          {privacy.locked ? privacy.reason : option.description}
        </span>
      </div>
      <div className="privacy-bar-side">
        {privacy.mode !== "local" && <ProviderPicker conversation={conversation} />}
        <AuditLink conversationId={conversation.id} />
      </div>
    </div>
  );
}
