import { useEffect, useState } from "react";
import type { CloudAccess, Conversation, PrivacyMode } from "../../api/contract.js";
import { loadSendCount, openAudit } from "../../state/audit-actions.js";
import { reportError, setView, updateConversationSettings } from "../../state/actions.js";
import { cloudSendCount } from "../../state/audit-state.js";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { useHearth } from "../../state/store.js";
import { LockIcon } from "../../ui/LockIcon.js";
import { destinationPhrase } from "./destination-label.js";
import { privacyModeOption, privacyModeOptions, providerLabel } from "./privacy-modes.js";
import "./privacy.css";
import { Segmented } from "../../ui/Segmented.js";

/** The providers this conversation may pick (those the policy allows), and which one it uses, as the core decided. */
function ProviderPicker({ conversation, access }: { conversation: Conversation; access: CloudAccess }) {
  const [saving, setSaving] = useState(false);
  const allowed = access.providerChoices.filter((c) => c.problem?.kind !== "not-allowed");
  const problem = access.providerProblem;

  if (allowed.length === 0) {
    return (
      <button
        type="button"
        className="link-button small-text"
        title={problem?.message}
        onClick={() => setView("settings")}
        data-testid="provider-missing"
        data-problem={problem?.kind}
      >
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
      <span className="provider-picker-label">{access.provider?.internal ? "Organisation" : "Cloud"}</span>
      <select
        className="select"
        value={access.provider?.id ?? ""}
        disabled={saving}
        title={problem?.message}
        onChange={(e) => void choose(e.target.value)}
        data-testid="provider-picker"
      >
        {access.provider === null && (
          <option value="" disabled>
            No provider usable
          </option>
        )}
        {allowed.map((p) => (
          <option key={p.id} value={p.id} title={p.problem?.message}>
            {providerLabel(p)}
            {p.internal ? ` (${destinationPhrase(true)})` : ""}
            {p.problem?.kind === "no-key" ? " (no key)" : ""}
          </option>
        ))}
      </select>
      {problem && (
        <span className="field-warning small-text" role="status" data-testid="provider-problem" data-problem={problem.kind}>
          {problem.message}
        </span>
      )}
    </label>
  );
}

function AuditLink({ conversationId }: { conversationId: string }) {
  const count = useHearth((s) => cloudSendCount(s.audit, conversationId));
  // The audit view loads a page at a time, so the count is the core's (live entries keep it current).
  useEffect(() => {
    loadSendCount(conversationId).catch(() => undefined);
  }, [conversationId]);
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
  const access = useHearth(selectCloudAccess(conversation.id));
  const [saving, setSaving] = useState(false);
  // Until the core's decision arrives nothing is shown: a guess could show a mode the policy overrides.
  if (!access) return <div className="privacy-bar" data-testid="privacy-bar" aria-busy="true" />;
  const option = privacyModeOption(access.mode);
  const locked = !access.offers.changeMode.allowed;

  async function choose(mode: PrivacyMode) {
    if (mode === conversation.settings.privacyMode || !access?.modes.includes(mode)) return;
    setSaving(true);
    const error = await updateConversationSettings(conversation.id, { privacyMode: mode });
    setSaving(false);
    if (error) reportError(error);
  }

  return (
    <div className={`privacy-bar mode-${access.mode}`} data-testid="privacy-bar">
      <div className="privacy-bar-main">
        {locked ? (
          <span
            className="privacy-locked"
            data-testid="privacy-mode"
            data-mode={access.mode}
            data-locked="true"
            title={access.offers.changeMode.reason ?? undefined}
          >
            <LockIcon /> {option.label}
          </span>
        ) : (
          <Segmented
            label="Privacy mode"
            testId="privacy-mode"
            testIdPrefix="privacy-mode-option"
            dataMode={access.mode}
            value={access.mode}
            disabled={saving}
            onChange={(mode) => void choose(mode)}
            options={privacyModeOptions.filter((o) => access.modes.includes(o.mode)).map((o) => ({
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
          {locked ? access.offers.changeMode.reason : option.description}
        </span>
      </div>
      <div className="privacy-bar-side">
        {access.mode !== "local" && <ProviderPicker conversation={conversation} access={access} />}
        <AuditLink conversationId={conversation.id} />
      </div>
    </div>
  );
}
