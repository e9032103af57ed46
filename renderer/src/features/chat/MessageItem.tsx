import { memo } from "react";
import type { Message } from "../../api/contract.js";
import { openExternalLink, regenerate } from "../../state/actions.js";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { selectIsGenerating, selectIsLastMessage, selectMessage } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { formatStats } from "../../ui/format.js";
import { answeredByLabel, canRetryCloud, providerLabel } from "../privacy/privacy-modes.js";
import { ContextFullAction } from "./ContextFullAction.js";
import { ContinueButton } from "./ContinueButton.js";
import { CopyButton } from "./CopyButton.js";
import { DeleteMessageButton } from "./DeleteMessageButton.js";
import { Markdown } from "./markdown/Markdown.js";
import { reasoningSummary } from "./reasoning-summary.js";
import { UserMessage } from "./UserMessage.js";
import { VersionSwitcher } from "./VersionSwitcher.js";

const statusLabels: Partial<Record<Message["status"], string>> = {
  stopped: "Stopped",
  interrupted: "Interrupted",
  error: "Error",
};

const statusHelp: Partial<Record<Message["status"], string>> = {
  stopped: "You stopped this answer.",
  interrupted: "Hearth closed while this answer was being written.",
};

/** "Local · model" or "Cloud · provider model", with why; the model's name stays in `.message-author`. */
function AnsweredBy({ message }: { message: Message }) {
  const by = message.answeredBy;
  if (!by) return <span className="message-author">{message.modelName ?? "Assistant"}</span>;
  const name = by.kind === "cloud" ? [by.provider, by.model].filter(Boolean).join(" ") : by.model;
  return (
    <>
      <span
        className={`answered-by answered-by-${by.kind}`}
        title={`${answeredByLabel(by)}: ${by.reason}`}
        data-testid="answered-by"
        data-kind={by.kind}
        data-failover={by.failover ? "true" : undefined}
      >
        <span className="answered-by-kind">{by.kind === "cloud" ? "☁ Cloud" : "Local"}</span>
        <span aria-hidden="true"> · </span>
        <span className="message-author">{name}</span>
      </span>
      {!by.failover && by.reason !== "" && (
        <span className="answered-by-reason" title={by.reason} data-testid="answered-by-reason">
          {by.reason}
        </span>
      )}
    </>
  );
}

/** The cloud failed and the local model answered: say why, and offer the cloud again if the core allows it now. */
function FailoverNote({ message, isLast }: { message: Message; isLast: boolean }) {
  const access = useHearth(selectCloudAccess(message.conversationId));
  if (!canRetryCloud(message)) return null;
  const retry = access?.offers.retryWithCloud;
  const by = message.answeredBy;
  return (
    <div className="alert alert-warning failover-note" data-testid="failover-note">
      <span>
        <strong>{by?.failover ? "Answered on this computer. " : "The cloud answer failed. "}</strong>
        {by?.failover && by.reason ? `${by.reason.replace(/[.\s]+$/, "")}. ` : ""}
        Your message is kept.
      </span>
      {isLast && retry?.allowed && access?.provider && (
        <button
          type="button"
          className="button small"
          onClick={() => void regenerate(message.conversationId, message.id, "cloud")}
          data-testid="retry-cloud"
        >
          Retry with {providerLabel(access.provider)}
        </button>
      )}
      {isLast && retry && !retry.allowed && (
        <span className="small-text muted" data-testid="retry-cloud-unavailable">
          {retry.reason}
        </span>
      )}
    </div>
  );
}

function AssistantMessage({ message, isLast, busy }: { message: Message; isLast: boolean; busy: boolean }) {
  const streaming = message.status === "streaming";
  const label = statusLabels[message.status];
  // Any answer can be regenerated (a new version beside it), once the conversation is not answering.
  const canRegenerate = !streaming && !busy;
  return (
    <article
      className={`message message-assistant status-${message.status}`}
      data-testid="message-assistant"
      data-status={message.status}
      data-message-id={message.id}
    >
      <div className="message-meta">
        <AnsweredBy message={message} />
        {label && (
          <span className={`badge badge-${message.status}`} data-testid="message-status" title={statusHelp[message.status]}>
            {label}
          </span>
        )}
      </div>
      {message.reasoning !== "" && (
        <details className="reasoning" data-testid="message-reasoning">
          <summary>{reasoningSummary(message)}</summary>
          <div className="reasoning-text">{message.reasoning}</div>
        </details>
      )}
      <div className={`message-body${streaming ? " streaming" : ""}`} data-testid="message-content">
        {message.content === "" && streaming ? (
          <span className="typing" aria-label="Writing">
            <span />
            <span />
            <span />
          </span>
        ) : (
          <Markdown text={message.content} onOpenLink={openExternalLink} finished={!streaming} lazy />
        )}
      </div>
      {message.status === "error" && message.error && (
        <div className="alert alert-error" role="alert" data-testid="message-error">
          {message.error.message}
        </div>
      )}
      <ContextFullAction message={message} busy={busy} />
      <FailoverNote message={message} isLast={isLast} />
      {message.status === "interrupted" && (
        <div className="alert alert-warning" data-testid="message-interrupted">
          {/* The model's process dying says why; otherwise Hearth itself closed mid-answer. */}
          {message.error?.message ?? statusHelp.interrupted} Regenerate to get a complete answer.
        </div>
      )}
      <div className="message-footer">
        {message.stats && (
          <span className="message-stats" data-testid="message-stats">
            {formatStats(message.stats)}
          </span>
        )}
        <VersionSwitcher message={message} disabled={busy} />
        {!streaming && (
          <span className="message-actions">
            {message.content !== "" && <CopyButton text={message.content} />}
            <ContinueButton message={message} isLast={isLast} busy={busy} />
            {canRegenerate && (
              <button
                type="button"
                className="button ghost small"
                onClick={() => void regenerate(message.conversationId, message.id)}
                data-testid="regenerate"
              >
                Regenerate
              </button>
            )}
            <DeleteMessageButton message={message} disabled={busy} />
          </span>
        )}
      </div>
    </article>
  );
}

/** One message, subscribed to its own id: a streaming delta re-renders this item only. */
export const MessageItem = memo(function MessageItem({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const message = useHearth(selectMessage(messageId));
  const isLast = useHearth(selectIsLastMessage(conversationId, messageId));
  const busy = useHearth(selectIsGenerating(conversationId));
  const waiting = useHearth((state) => state.pendingProposals[conversationId]?.userMessageId === messageId);
  if (!message) return null;
  if (message.role === "user") return <UserMessage message={message} busy={busy} isLast={isLast} waiting={waiting} />;
  return <AssistantMessage message={message} isLast={isLast} busy={busy} />;
});
