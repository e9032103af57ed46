import { useState } from "react";
import { requestBodyOf, type EscalationProposal, type PayloadMessage } from "../../api/contract.js";
import { resolveEscalation, reviseEscalation } from "../../state/escalation-actions.js";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { useHearth } from "../../state/store.js";
import { destinationPhrase } from "./destination-label.js";
import { unsureText } from "./doubt-text.js";
import { RedactionMark } from "./RedactionMark.js";
import { SecondPassNote } from "./SecondPassNote.js";
import { countHiddenValues, formatExactBytes, payloadChanged, splitRedactions } from "./redaction-segments.js";

const roleLabels: Record<PayloadMessage["role"], string> = { system: "System", user: "You", assistant: "Assistant" };

/** The payload as it would be sent, message by message, with every placeholder marked. */
export function PayloadView({ proposal }: { proposal: EscalationProposal }) {
  return (
    <ol className="payload" data-testid="escalation-payload" aria-label="What would be sent">
      {proposal.payload.map((message, index) => (
        <li key={index} className={`payload-message role-${message.role}`} data-testid="payload-message" data-role={message.role}>
          <span className="payload-role">{roleLabels[message.role]}</span>
          <div className="payload-content" data-testid="payload-content">
            {splitRedactions(message.content, index, proposal.redactions).map((segment, i) =>
              segment.kind === "text" ? <span key={i}>{segment.text}</span> : <RedactionMark key={i} mark={segment} />,
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/**
 * The whole HTTP request body exactly as it would leave (model, parameters and messages, byte for byte), with
 * every placeholder marked; the core refuses to send a body that differs from this one.
 */
export function RequestBodyView({ proposal }: { proposal: EscalationProposal }) {
  return (
    <details className="request-body" data-testid="escalation-request" open>
      <summary>
        The whole request to {proposal.providerName}: {formatExactBytes(proposal.bytes)} (model, parameters and messages)
      </summary>
      <pre className="request-body-text" data-testid="escalation-request-body" data-bytes={proposal.bytes}>
        {splitRedactions(requestBodyOf(proposal), -1, proposal.redactions).map((segment, i) =>
          segment.kind === "text" ? <span key={i}>{segment.text}</span> : <RedactionMark key={i} mark={segment} />,
        )}
      </pre>
    </details>
  );
}

function PayloadEditor({
  proposal,
  onDone,
}: {
  proposal: EscalationProposal;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState<PayloadMessage[]>(() => proposal.payload.map((m) => ({ ...m })));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const changed = payloadChanged(proposal.payload, draft);
  const empty = draft.every((m) => m.content.trim() === "");

  async function save() {
    setSaving(true);
    const failure = await reviseEscalation(proposal.conversationId, proposal.id, draft);
    setSaving(false);
    if (failure) setError(failure.message);
    else onDone();
  }

  return (
    <div className="payload-editor">
      <ol className="payload editing" data-testid="escalation-payload" aria-label="Edit what would be sent">
        {draft.map((message, index) => (
          <li key={index} className={`payload-message role-${message.role}`} data-role={message.role}>
            <label className="payload-role" htmlFor={`${proposal.id}-${index}`}>
              {roleLabels[message.role]}
            </label>
            <textarea
              id={`${proposal.id}-${index}`}
              className="input payload-textarea"
              value={message.content}
              rows={Math.min(10, Math.max(2, message.content.split("\n").length + 1))}
              onChange={(e) => {
                const content = e.target.value;
                setDraft((d) => d.map((m, i) => (i === index ? { ...m, content } : m)));
              }}
              data-testid="escalation-payload-input"
            />
          </li>
        ))}
      </ol>
      <p className="field-help">
        Shorten it, or take out anything you would rather keep here. When you save, Hearth hides personal details again and
        shows you the result before anything is sent.
      </p>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="escalation-error">
          {error}
        </div>
      )}
      <div className="escalation-actions">
        <button type="button" className="button primary" disabled={saving || !changed || empty} onClick={() => void save()} data-testid="escalation-save">
          {saving ? "Checking…" : "Save and check again"}
        </button>
        <button type="button" className="button ghost" disabled={saving} onClick={onDone} data-testid="escalation-edit-cancel">
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Cascade: the local model has answered already; the cloud answer would take the place of that answer. */
export function ReplacesLocalNote({ proposal }: { proposal: EscalationProposal }) {
  if (!proposal.replacesMessageId) return null;
  return (
    <p className="escalation-why" data-testid="escalation-replaces">
      The local answer above looks unsure. If you send, {proposal.providerName}&rsquo;s answer replaces it; Keep local
      leaves it as it is.
    </p>
  );
}

/**
 * Why Hearth is unsure about what it hid (a password-like value, detectors that disagree). In Auto mode this is why
 * it asks: for this one message; the conversation stays in Auto.
 */
export function UnsureNote({ proposal }: { proposal: EscalationProposal }) {
  const text = unsureText(proposal);
  if (!text) return null;
  return (
    <div className="escalation-why escalation-unsure" role="note" data-testid="escalation-unsure">
      <strong>{text}</strong>{" "}
      {proposal.askedBecauseUnsure
        ? "Auto mode asks before sending this one message: check it, take out anything that should stay here, or keep it local. The chat stays in Auto."
        : "Check it before you send."}
    </div>
  );
}

export function RouterReasons({ proposal }: { proposal: EscalationProposal }) {
  if (proposal.router === null) {
    return <p className="escalation-why">You asked for the cloud for this message.</p>;
  }
  const { reasons, score, threshold } = proposal.router;
  return (
    <div className="escalation-why" data-testid="escalation-reasons">
      <span>Why the cloud: </span>
      {reasons.length > 0 ? (
        <ul className="reason-list">
          {reasons.map((reason, i) => (
            <li key={i}>{reason}</li>
          ))}
        </ul>
      ) : (
        <span>the question looks harder than the local model handles well.</span>
      )}
      {/* A cascade proposal comes from the answer's confidence, not from the question's score. */}
      {!proposal.replacesMessageId && (
        <span className="muted small-text" title="How hard the question looks to the router, against the level set in Settings">
          {" "}
          (score {score.toFixed(2)}, sends at {threshold.toFixed(2)})
        </span>
      )}
    </div>
  );
}

/**
 * Ask mode: exactly what would leave this computer, with what was hidden marked, before anything is sent.
 * Send sends this and nothing else; Edit rewrites it (checked again); Keep local lets the local model answer.
 */
export function EscalationPanel({ conversationId }: { conversationId: string }) {
  const proposal = useHearth((s) => s.pendingProposals[conversationId] ?? null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [busy, setBusy] = useState<"send" | "keep-local" | null>(null);
  const access = useHearth(selectCloudAccess(conversationId));
  if (!proposal) return null;
  // The core decided whether this provider is one of the organisation's own servers (policy internalHosts).
  const internal = access?.providerChoices.find((c) => c.id === proposal.providerId)?.internal ?? false;
  const editing = editingId === proposal.id;
  const hidden = countHiddenValues(proposal);
  const messages = proposal.payload.length;

  async function resolve(action: "send" | "keep-local") {
    if (!proposal) return;
    setBusy(action);
    await resolveEscalation(conversationId, proposal.id, action);
    setBusy(null);
  }

  return (
    <section
      className="escalation-panel"
      aria-label={`Send to ${destinationPhrase(internal)}?`}
      data-destination={internal ? "organisation" : "cloud"}
      data-testid="escalation-panel"
      data-proposal-id={proposal.id}
      data-bytes={proposal.bytes}
      data-asked-unsure={proposal.askedBecauseUnsure ? "true" : undefined}
    >
      <header className="escalation-head">
        <span className="escalation-icon" aria-hidden="true">
          ☁
        </span>
        <div>
          <h2>
            Send to {proposal.providerName} <span className="escalation-model">{proposal.model}</span>?
          </h2>
          <p className="escalation-summary" data-testid="escalation-summary">
            This is exactly what would leave this computer{internal ? ` for ${destinationPhrase(true)}` : ""}: {messages} {messages === 1 ? "message" : "messages"},{" "}
            {formatExactBytes(proposal.bytes)} in all
            {hidden > 0 ? `, ${hidden} ${hidden === 1 ? "value" : "values"} hidden` : ", nothing hidden"}. Nothing is sent until you say so.
          </p>
        </div>
      </header>
      <UnsureNote proposal={proposal} />
      <SecondPassNote proposal={proposal} />
      <ReplacesLocalNote proposal={proposal} />
      <RouterReasons proposal={proposal} />
      {editing ? (
        <PayloadEditor key={proposal.id} proposal={proposal} onDone={() => setEditingId(null)} />
      ) : (
        <>
          <PayloadView proposal={proposal} />
          <RequestBodyView proposal={proposal} />
          {hidden > 0 && (
            <p className="field-help">
              <mark className="redaction-mark legend">[TYPE_1]</mark> marks a hidden value: hover or focus it to see what it
              stands for. The real value stays here, and is put back into the answer on this computer.
            </p>
          )}
          <div className="escalation-actions">
            <button type="button" className="button primary" disabled={busy !== null} onClick={() => void resolve("send")} data-testid="escalation-send">
              {busy === "send" ? "Sending…" : `Send to ${proposal.providerName}`}
            </button>
            <button type="button" className="button" disabled={busy !== null} onClick={() => setEditingId(proposal.id)} data-testid="escalation-edit">
              Edit
            </button>
            <button
              type="button"
              className="button ghost"
              disabled={busy !== null}
              onClick={() => void resolve("keep-local")}
              data-testid="escalation-keep-local"
            >
              {busy === "keep-local" && !proposal.replacesMessageId ? "Answering locally…" : "Keep local"}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
