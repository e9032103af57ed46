import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Download, DownloadStatus } from "../../api/contract.js";
import { focusModel, newChat } from "../../state/actions.js";
import {
  cancelDownload,
  dismissDownload,
  pauseDownload,
  resumeDownload,
  retryDownload,
  sessionStartedAt,
} from "../../state/download-actions.js";
import { downloadFraction, isActiveDownload, visibleDownloads } from "../../state/downloads-state.js";
import { useHearth } from "../../state/store.js";
import { formatBytes, formatPercent, formatSpeed, formatTimeLeft } from "../../ui/format.js";
import { HubErrorHint } from "./HubErrorHint.js";

const statusLabels: Record<DownloadStatus, string> = {
  queued: "Queued",
  downloading: "Downloading",
  paused: "Paused",
  retrying: "Retrying",
  verifying: "Verifying",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

function statusText(download: Download): string {
  switch (download.status) {
    case "retrying":
      return `Retrying (attempt ${download.attempts})`;
    default:
      return statusLabels[download.status];
  }
}

/** "120 MB of 2.5 GB · 4.1 MB/s · about 9 min left", saying only what is known. */
function progressLine(download: Download): string {
  const parts: string[] = [];
  const total = download.totalBytes > 0 ? ` of ${formatBytes(download.totalBytes)}` : "";
  parts.push(`${formatBytes(download.downloadedBytes)}${total}`);
  if (download.status === "downloading") {
    if (download.bytesPerSecond > 0) parts.push(formatSpeed(download.bytesPerSecond));
    const left = formatTimeLeft(download.etaSeconds);
    if (left) parts.push(left);
  }
  if (download.status === "queued") parts.push("waiting for the download before it");
  if (download.status === "paused") parts.push("the part already downloaded is kept");
  if (download.status === "retrying") parts.push("the connection dropped; trying again");
  if (download.status === "verifying") parts.push("checking the file before it is added");
  return parts.join(" · ");
}

function DownloadActions({ download }: { download: Download }) {
  const modelName = useHearth((s) => (download.modelId ? s.models.find((m) => m.id === download.modelId)?.name : undefined));
  const status = download.status;
  function cancel() {
    if (window.confirm(`Cancel the download of ${download.fileName}? The part already downloaded is deleted.`)) void cancelDownload(download.id);
  }
  return (
    <div className="download-actions">
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
      {status === "failed" && (
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
        <button type="button" className="button small ghost danger" onClick={cancel} data-testid="download-cancel">
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
  return (
    <li
      className={`download-item status-${download.status}`}
      data-testid="download-item"
      data-download-id={download.id}
      data-file-name={download.fileName}
      data-model-id={download.modelId ?? undefined}
      data-status={download.status}
    >
      <div className="download-head">
        <div className="download-title">
          <span className="download-file" title={download.fileName}>
            {download.fileName}
          </span>
          <span className="download-repo">{download.repo}</span>
        </div>
        <span className={`download-status badge status-${download.status}`} data-testid="download-status" data-status={download.status}>
          {statusText(download)}
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
        {download.status !== "completed" && download.status !== "cancelled" ? progressLine(download) : null}
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
  if (downloads.length === 0) return null;
  return (
    <section className="panel downloads-panel" aria-label="Downloads" data-testid="downloads-panel">
      <h2>Downloads</h2>
      <ul className="download-list">
        {downloads.map((d) => (
          <DownloadItem key={d.id} download={d} />
        ))}
      </ul>
    </section>
  );
}
