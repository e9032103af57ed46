import { memo, useEffect, useMemo, useState } from "react";
import type { AuditEntry } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { auditExportText } from "./audit-export-text.js";
import { exportAudit, loadMoreAudit, openAudit } from "../../state/audit-actions.js";
import { auditEntriesOf } from "../../state/audit-state.js";
import { useHearth } from "../../state/store.js";
import { formatBytes } from "../../ui/format.js";
import { AuditFilters } from "./AuditFilters.js";
import { auditTotals, formatAuditRow, formatCost, prettyPayload } from "./audit-format.js";
import { auditForwardText } from "./audit-forward-text.js";
import { auditReviewText } from "./audit-review-text.js";
import { auditVerifyText } from "./audit-verify-text.js";
import { auditDestinationLabel } from "./destination-label.js";
import { useChatTitle } from "./use-chat-title.js";
import { useLoadMore } from "./use-load-more.js";
import "./privacy.css";

const COLUMNS = 8;

export const AuditRow = memo(function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const row = formatAuditRow(entry);
  const payload = open ? prettyPayload(entry.payload) : null;
  const [day, clock] = row.time.split(" ");
  // Erasing (when its chat was deleted) blanks a payload that had bytes; the chain keeps its hash.
  const erased = entry.payload === "" && entry.bytesSent > 0;
  const review = entry.review ? auditReviewText(entry.review) : null;
  const destination = auditDestinationLabel(entry);
  return (
    <>
      <tr
        className={`audit-row is-${row.outcome}${open ? " open" : ""}`}
        data-testid="audit-row"
        data-entry-id={entry.id}
        data-outcome={entry.outcome}
        data-purpose={entry.purpose}
        data-erased={erased ? "true" : undefined}
        data-held={entry.review?.heldBecause}
      >
        <td>
          <button type="button" className="audit-expand" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="audit-expand">
            <span className="chevron" aria-hidden="true">
              {open ? "▾" : "▸"}
            </span>
            <time dateTime={new Date(entry.time).toISOString()} title={row.time}>
              <span className="audit-day">{day}</span>
              <span className="audit-clock">{clock}</span>
            </time>
          </button>
        </td>
        <td className="audit-conversation" title={row.conversation}>
          {row.conversation}
        </td>
        <td className="nowrap">{row.purpose}</td>
        <td>
          <div>{row.provider}</div>
          <div className="muted mono small-text">{row.model}</div>
        </td>
        <td className="mono small-text">
          {row.host}
          {destination && (
            <div className="muted" data-testid="audit-destination" data-destination={entry.destination}>
              {destination}
            </div>
          )}
        </td>
        <td className="num" data-testid="audit-bytes-sent">
          ↑ {row.sent}
          <div className="muted">↓ {row.received}</div>
        </td>
        {/* The cost line only where a price was known: a dash under every row says nothing. */}
        <td className="num">
          {row.tokens}
          {entry.costUsd !== null && <div className="muted">{row.cost}</div>}
        </td>
        <td>
          <span className={`outcome outcome-${row.outcome}`} data-testid="audit-outcome">
            {row.outcomeLabel}
          </span>
          {entry.review && (
            <div className="muted small-text" data-testid="audit-held" title={review!.held}>
              {entry.review.heldBecause === "unsure" ? "Asked: unsure" : "Reviewed"}
            </div>
          )}
        </td>
      </tr>
      {open && payload && (
        <tr className="audit-detail">
          <td colSpan={COLUMNS}>
            {row.error && (
              <div className="alert alert-error audit-error" data-testid="audit-error">
                {row.error}
              </div>
            )}
            {review && (
              <p className="audit-review" data-testid="audit-review">
                {review.held} {review.decision}
              </p>
            )}
            <div className="audit-detail-head">
              <span>
                Exactly what left this computer{payload.json ? " (JSON, indented for reading)" : ""} · {row.sent}
              </span>
              <span className="muted">Took {row.duration}</span>
            </div>
            {entry.outcome === "declined" ? (
              <p className="muted" data-testid="audit-declined">
                Nothing left this computer: the request was not sent, and its text is not kept here.
              </p>
            ) : erased ? (
              <p className="muted" data-testid="audit-erased">
                Erased when its chat was deleted. The time, host, sizes, outcome and the SHA-256 of what was sent are kept, so
                the log still verifies.
              </p>
            ) : (
              <pre className="audit-payload" data-testid="audit-payload" tabIndex={0}>
                {payload.text}
              </pre>
            )}
          </td>
        </tr>
      )}
    </>
  );
});

/** The forwarding line (null when the policy names no collector), refreshed while the view is open. */
function useAuditForwarding(): string | null {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      void Promise.resolve()
        .then(() => getApi().auditForwardingStatus({}))
        .then((status) => live && setText(auditForwardText(status)))
        .catch(() => live && setText(null));
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return text;
}

/**
 * Every request that left this computer (or tried to): when, for which chat, to whom, how much, and exactly what.
 * Read-only; exported as JSON or CSV through the browser's own download.
 */
export function AuditView() {
  const conversationId = useHearth((s) => s.auditConversationId);
  const title = useChatTitle(conversationId);
  const audit = useHearth((s) => s.audit);
  const entries = useMemo(() => auditEntriesOf(audit, conversationId), [audit, conversationId]);
  const [verified, setVerified] = useState<string | null>(null);
  const verify = () => {
    setVerified("Verifying…");
    getApi()
      .verifyAudit({})
      .then((report) => setVerified(auditVerifyText(report)))
      .catch((error: unknown) => setVerified(`Could not verify: ${error instanceof Error ? error.message : String(error)}`));
  };
  // The core's totals cover the whole filtered log; the loaded pages' own only until they arrive.
  const pageTotals = useMemo(() => auditTotals(entries), [entries]);
  const totals = audit.summary ?? pageTotals;
  const more = useLoadMore<HTMLButtonElement>(audit.hasMore, () => void loadMoreAudit(), entries.length);
  const filtered = Object.keys(audit.filter).length > 0;
  // Export saves what the view lists: its chat and filters, every page (the core's count, not the pages loaded).
  const exportCount = audit.summary?.count ?? null;
  const exportText = auditExportText(exportCount, { chat: conversationId !== null, filtered });
  const nothingToExport = exportCount === 0;
  const forwarding = useAuditForwarding();

  return (
    <section className="audit-view" data-testid="audit-view" data-conversation-id={conversationId ?? undefined}>
      <header className="page-header audit-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            {conversationId ? (
              <>
                What left this computer for <strong>{title || "New chat"}</strong>.{" "}
                <button type="button" className="link-button" onClick={() => openAudit(null)} data-testid="audit-show-all">
                  Show all chats
                </button>
              </>
            ) : (
              "Every request that left this computer: cloud answers, connection tests, model searches and downloads."
            )}{" "}
            Entries cannot be edited or deleted; deleting a chat can erase what it sent, leaving a tombstone.
          </p>
        </div>
        <div className="audit-export">
          <button type="button" className="button small" onClick={verify} data-testid="audit-verify">
            Verify
          </button>
          {verified !== null && <span data-testid="audit-verify-result">{verified}</span>}
          <span className="audit-export-scope" data-testid="audit-export-scope">
            {exportText}:
          </span>
          <button
            type="button"
            className="button small"
            disabled={nothingToExport}
            aria-label={`${exportText} as JSON`}
            onClick={() => void exportAudit("json")}
            data-testid="audit-export-json"
          >
            JSON
          </button>
          <button
            type="button"
            className="button small"
            disabled={nothingToExport}
            aria-label={`${exportText} as CSV`}
            onClick={() => void exportAudit("csv")}
            data-testid="audit-export-csv"
          >
            CSV
          </button>
        </div>
      </header>
      <p className="audit-totals" data-testid="audit-totals">
        {totals.count} {totals.count === 1 ? "request" : "requests"} · {formatBytes(totals.bytesSent)} sent · {formatBytes(totals.bytesReceived)}{" "}
        received{totals.costUsd !== null && ` · about ${formatCost(totals.costUsd)}`}
        {totals.failed > 0 && ` · ${totals.failed} failed`}
      </p>
      {forwarding && (
        <p className="audit-totals" data-testid="audit-forwarding">
          {forwarding}
        </p>
      )}
      <AuditFilters filter={audit.filter} providerNames={audit.summary?.providerNames ?? []} />
      {audit.loaded && entries.length === 0 ? (
        <div className="panel audit-empty" data-testid="audit-empty">
          <p>{filtered ? "No entries match these filters." : `Nothing has left this computer${conversationId ? " for this chat" : ""}.`}</p>
        </div>
      ) : (
        <div className="audit-table-wrap">
          <table className="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Chat</th>
                <th>Purpose</th>
                <th>Provider · model</th>
                <th>Host</th>
                <th className="num">Bytes</th>
                <th className="num">Tokens · cost</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
          {audit.hasMore && (
            <button type="button" ref={more} className="button small audit-more" onClick={() => void loadMoreAudit()} data-testid="audit-more">
              Load older entries ({entries.length} of {totals.count} shown)
            </button>
          )}
        </div>
      )}
    </section>
  );
}
