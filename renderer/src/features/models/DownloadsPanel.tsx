import { memo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Download } from "../../api/contract.js";
import { focusModel, newChat } from "../../state/actions.js";
import {
  cancelDownload,
  clearFinishedDownloads,
  dismissDownload,
  pauseDownload,
  resumeDownload,
  retryDownload,
  sessionStartedAt,
} from "../../state/download-actions.js";
import { downloadFraction, isActiveDownload, visibleDownloads } from "../../state/downloads-state.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { formatBytes, formatPercent } from "../../ui/format.js";
import { useNow } from "../../ui/use-now.js";
import { connectionLost, downloadProgressText, downloadStatusText } from "./download-text.js";
import { HubErrorHint } from "./HubErrorHint.js";

function DownloadActions({ download }: { download: Download }) {
  const modelName = useHearth((s) => (download.modelId ? s.models.find((m) => m.id === download.modelId)?.name : undefined));
  const status = download.status;
  const [asking, setAsking] = useState(false);
  return (
    <div className="download-actions">
      {asking && (
        <ConfirmDialog
          title={`Cancel the download of ${download.fileName}?`}
          confirmLabel="Cancel download"
          cancelLabel="Keep downloading"
          danger
          testId="download-cancel-dialog"
          onConfirm={() => {
            setAsking(false);
            void cancelDownload(download.id);
          }}
          onCancel={() => setAsking(false)}
        >
          <p>The part already downloaded is deleted.</p>
        </ConfirmDialog>
      )}
      {(status === "downloading" || status === "queued" || status === "retrying") && (
        <button type="button" className="button small" onClick={() => void pauseDownload(download.id)} data-testid="download-pause">
          Pause
        </button>
      )}
      {status === "paused" && (
        <button type="button" className="button small primary" onClick={() => void resumeDownload(download.id)} data-testid="download-resume">
          Resume
        </button>
      )}
      {status === "failed" && download.error?.code !== "ALREADY_INSTALLED" && (
        <button type="button" className="button small primary" onClick={() => void retryDownload(download)} data-testid="download-retry">
          Retry
        </button>
      )}
      {status === "completed" && download.modelId && modelName && (
        <>
          <button type="button" className="button small primary" onClick={() => void newChat(download.modelId ?? undefined)} data-testid="download-new-chat">
            New chat
          </button>
          <button type="button" className="button small" onClick={() => download.modelId && focusModel(download.modelId)} data-testid="download-open-model">
            Model card
          </button>
        </>
      )}
      {isActiveDownload(download) && status !== "verifying" && (
        <button type="button" className="button small ghost danger" onClick={() => setAsking(true)} data-testid="download-cancel">
          Cancel
        </button>
      )}
      {!isActiveDownload(download) && (
        <button type="button" className="icon-button" aria-label="Clear from list" title="Clear from list" onClick={() => dismissDownload(download.id)} data-testid="download-dismiss">
          ✕
        </button>
      )}
    </div>
  );
}

const DownloadItem = memo(function DownloadItem({ download }: { download: Download }) {
  const modelGone = useHearth((s) => download.modelId !== null && s.modelsLoaded && !s.models.some((m) => m.id === download.modelId));
  const fraction = downloadFraction(download);
  const indeterminate = fraction === null || download.status === "verifying";
  const lost = connectionLost(download);
  // Ticks only while a countdown ("retrying in N s") is on screen.
  const now = useNow(lost);
  return (
    <li
      className={`download-item status-${download.status}`}
      data-testid="download-item"
      data-download-id={download.id}
      data-file-name={download.fileName}
      data-model-id={download.modelId ?? undefined}
      data-status={download.status}
      data-connection={lost ? "lost" : undefined}
    >
      <div className="download-head">
        <div className="download-title">
          <span className="download-file" title={download.fileName}>
            {download.fileName}
          </span>
          <span className="download-repo">{download.repo}</span>
        </div>
        <span className={`download-status badge status-${download.status}`} data-testid="download-status" data-status={download.status}>
          {downloadStatusText(download)}
        </span>
        <DownloadActions download={download} />
      </div>
      {download.status !== "cancelled" && download.status !== "completed" && (
        <div className="download-progress-row">
          <div
            className={`progress${indeterminate ? " indeterminate" : ""}`}
            role="progressbar"
            aria-label={`Download of ${download.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
            data-testid="download-progress"
            data-downloaded={download.downloadedBytes}
            data-total={download.totalBytes}
          >
            <span style={{ width: `${(fraction ?? 0) * 100}%` }} />
          </div>
          <span className="download-percent" data-testid="download-percent">
            {fraction === null ? "" : formatPercent(fraction)}
          </span>
        </div>
      )}
      <div className="download-line" data-testid="download-line">
        {download.status === "completed"
          ? `${formatBytes(download.totalBytes || download.downloadedBytes)} · ${modelGone ? "the model was deleted since" : "verified and added to My models"}`
          : null}
        {download.status === "cancelled" ? "Cancelled; the partial file was deleted." : null}
        {download.status !== "completed" && download.status !== "cancelled" ? downloadProgressText(download, now) : null}
      </div>
      {download.status === "failed" && download.error && (
        <div className="alert alert-error download-error" role="alert" data-testid="download-error" data-code={download.error.code}>
          {download.error.message}
          <HubErrorHint code={download.error.code} />
        </div>
      )}
    </li>
  );
});

/** Every download still going, and the ones finished in this session, live from `downloads` events. */
export function DownloadsPanel() {
  const downloads = useHearth(useShallow((s) => visibleDownloads(s.downloads, sessionStartedAt)));
  return <DownloadsPanelView downloads={downloads} />;
}

export function DownloadsPanelView({ downloads }: { downloads: readonly Download[] }) {
  if (downloads.length === 0) return null;
  const finished = downloads.some((d) => !isActiveDownload(d));
  return (
    <section className="panel downloads-panel" aria-label="Downloads" data-testid="downloads-panel">
      <div className="downloads-head">
        <h2>Downloads</h2>
        {finished && (
          <button type="button" className="button small ghost" onClick={clearFinishedDownloads} data-testid="downloads-clear-finished">
            Clear finished
          </button>
        )}
      </div>
      <ul className="download-list">
        {downloads.map((d) => (
          <DownloadItem key={d.id} download={d} />
        ))}
      </ul>
    </section>
  );
}
