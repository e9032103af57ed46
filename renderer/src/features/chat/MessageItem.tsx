import { memo, useState } from "react";
import type { Message } from "../../api/contract.js";
import { openExternalLink, regenerate } from "../../state/actions.js";
import { selectIsLastMessage, selectMessage } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { formatStats } from "../../ui/format.js";
import { Markdown } from "./markdown/Markdown.js";

const statusLabels: Partial<Record<Message["status"], string>> = {
  stopped: "Stopped",
  interrupted: "Interrupted",
  error: "Error",
};

const statusHelp: Partial<Record<Message["status"], string>> = {
  stopped: "You stopped this answer.",
  interrupted: "Hearth closed while this answer was being written.",
};

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button ghost small"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => {},
        );
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function AssistantMessage({ message, isLast }: { message: Message; isLast: boolean }) {
  const streaming = message.status === "streaming";
  const label = statusLabels[message.status];
  const canRegenerate = isLast && !streaming;
  return (
    <article
      className={`message message-assistant status-${message.status}`}
      data-testid="message-assistant"
      data-status={message.status}
      data-message-id={message.id}
    >
      <div className="message-meta">
        <span className="message-author">{message.modelName ?? "Assistant"}</span>
        {label && (
          <span className={`badge badge-${message.status}`} data-testid="message-status" title={statusHelp[message.status]}>
            {label}
          </span>
        )}
      </div>
      {message.reasoning !== "" && (
        <details className="reasoning" data-testid="message-reasoning">
          <summary>{streaming && message.content === "" ? "Thinking…" : "Reasoning"}</summary>
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
          <Markdown text={message.content} onOpenLink={openExternalLink} />
        )}
      </div>
      {message.status === "error" && message.error && (
        <div className="alert alert-error" role="alert" data-testid="message-error">
          {message.error.message}
        </div>
      )}
      {message.status === "interrupted" && (
        <div className="alert alert-warning" data-testid="message-interrupted">
          {statusHelp.interrupted} Regenerate to get a complete answer.
        </div>
      )}
      <div className="message-footer">
        {message.stats && (
          <span className="message-stats" data-testid="message-stats">
            {formatStats(message.stats)}
          </span>
        )}
        {!streaming && (
          <span className="message-actions">
            {message.content !== "" && <CopyButton text={message.content} />}
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
  if (!message) return null;
  if (message.role === "user") {
    return (
      <article className="message message-user" data-testid="message-user" data-message-id={message.id}>
        <div className="message-body user-text">{message.content}</div>
      </article>
    );
  }
  return <AssistantMessage message={message} isLast={isLast} />;
});
