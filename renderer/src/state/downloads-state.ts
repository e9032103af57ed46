import type { Download, DownloadEvent, DownloadStatus } from "../api/contract.js";

/** Downloads by id, plus the ones the user cleared from the panel (the core keeps its history regardless). */
export type DownloadsState = {
  byId: Record<string, Download>;
  dismissed: Record<string, true>;
};

export const emptyDownloadsState: DownloadsState = { byId: {}, dismissed: {} };

const activeStatuses: ReadonlySet<DownloadStatus> = new Set(["queued", "downloading", "paused", "retrying", "verifying"]);

/** Still holding a place in the queue or a partial file: everything except completed, failed and cancelled. */
export function isActiveDownload(download: Pick<Download, "status">): boolean {
  return activeStatuses.has(download.status);
}

/** Bytes are moving or about to (paused is active but not moving). */
export function isMovingDownload(download: Pick<Download, "status">): boolean {
  return download.status === "queued" || download.status === "downloading" || download.status === "retrying" || download.status === "verifying";
}

function upsert(state: DownloadsState, download: Download): DownloadsState {
  const known = state.byId[download.id];
  // Events and list answers can cross on the wire; never let an older snapshot replace a newer one.
  if (known && known.updatedAt > download.updatedAt) return state;
  const byId = { ...state.byId, [download.id]: download };
  // A cleared download that comes back to life (resumed, retried) shows again.
  if (state.dismissed[download.id] && isActiveDownload(download)) {
    const dismissed = { ...state.dismissed };
    delete dismissed[download.id];
    return { byId, dismissed };
  }
  return { ...state, byId };
}

/** Pure reducer for `downloads` events. */
export function applyDownloadEvent(state: DownloadsState, event: DownloadEvent): DownloadsState {
  switch (event.type) {
    case "download-updated":
      return upsert(state, event.download);
    default:
      // One event type today; a new one must be handled here before it compiles.
      event.type satisfies never;
      return state;
  }
}

/** Merges what `listDownloads` or a method returned, keeping whichever copy of each download is newer. */
export function mergeDownloads(state: DownloadsState, downloads: readonly Download[]): DownloadsState {
  return downloads.reduce(upsert, state);
}

/** Hides a finished download from the panel; an active one cannot be hidden (cancel it instead). */
export function dismissDownload(state: DownloadsState, downloadId: string): DownloadsState {
  const download = state.byId[downloadId];
  if (!download || isActiveDownload(download) || state.dismissed[downloadId]) return state;
  return { ...state, dismissed: { ...state.dismissed, [downloadId]: true } };
}

/** Hides every finished download (completed, failed, cancelled) at once: the panel's "Clear finished". */
export function dismissFinished(state: DownloadsState): DownloadsState {
  const finished = Object.values(state.byId).filter((d) => !isActiveDownload(d) && !state.dismissed[d.id]);
  if (finished.length === 0) return state;
  return { ...state, dismissed: { ...state.dismissed, ...Object.fromEntries(finished.map((d) => [d.id, true as const])) } };
}

/**
 * What the downloads panel lists, newest first: everything active, and what finished during this session
 * (earlier sessions' history would only be clutter) unless the user cleared it.
 */
export function visibleDownloads(state: DownloadsState, sessionStartedAt: number): Download[] {
  return Object.values(state.byId)
    .filter((d) => !state.dismissed[d.id] && (isActiveDownload(d) || d.updatedAt >= sessionStartedAt))
    .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
}

/** The newest download of a given file, if any (to show its state beside the file in search and catalog). */
export function downloadForFile(state: DownloadsState, repo: string, fileName: string): Download | undefined {
  let newest: Download | undefined;
  for (const d of Object.values(state.byId)) {
    if (d.repo === repo && d.fileName === fileName && (!newest || d.createdAt > newest.createdAt)) newest = d;
  }
  return newest;
}

/** 0..1, or null while the size is unknown. */
export function downloadFraction(download: Pick<Download, "downloadedBytes" | "totalBytes" | "status">): number | null {
  if (download.status === "completed") return 1;
  if (download.totalBytes <= 0) return null;
  return Math.min(1, download.downloadedBytes / download.totalBytes);
}

export type DownloadsSummary = { active: number; downloadedBytes: number; totalBytes: number; fraction: number | null };

/** For the sidebar: how many downloads are active and how far along they are together. */
export function summarizeDownloads(downloads: readonly Download[]): DownloadsSummary {
  const active = downloads.filter(isActiveDownload);
  const downloadedBytes = active.reduce((sum, d) => sum + d.downloadedBytes, 0);
  const totalBytes = active.reduce((sum, d) => sum + d.totalBytes, 0);
  const sizeKnown = active.length > 0 && active.every((d) => d.totalBytes > 0);
  return {
    active: active.length,
    downloadedBytes,
    totalBytes,
    fraction: sizeKnown ? Math.min(1, downloadedBytes / totalBytes) : null,
  };
}
