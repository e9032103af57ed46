import type { Download, DownloadEvent } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { applyDownloadEvent, dismissDownload as dismiss, dismissFinished, mergeDownloads } from "./downloads-state.js";
import { loadModels } from "./model-actions.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

/** When this page started: finished downloads from before it are history, not news. */
export const sessionStartedAt = Date.now();

function merge(downloads: readonly Download[]): void {
  set((s) => {
    const next = mergeDownloads(s.downloads, downloads);
    return next === s.downloads ? s : { downloads: next };
  });
}

export async function loadDownloads(): Promise<void> {
  merge(await getApi().listDownloads({}));
}

export function handleDownloadEvent(event: DownloadEvent): void {
  const before = useHearth.getState().downloads.byId[event.download.id];
  set((s) => {
    const downloads = applyDownloadEvent(s.downloads, event);
    return downloads === s.downloads ? s : { downloads };
  });
  // The core also sends `models-changed`; this covers a page that joined between the two.
  if (event.download.status === "completed" && before?.status !== "completed") loadModels().catch(reportError);
}

async function run(task: () => Promise<Download>): Promise<Download | null> {
  try {
    const download = await task();
    merge([download]);
    return download;
  } catch (error) {
    reportError(error);
    return null;
  }
}

export function startDownload(input: { repo: string; fileName: string; catalogId?: string | null }): Promise<Download | null> {
  const { repo, fileName, catalogId } = input;
  return run(() => getApi().startDownload(catalogId ? { repo, fileName, catalogId } : { repo, fileName }));
}

/** A failed download starts again from what the core kept (it resumes from the partial file when it can). */
export function retryDownload(download: Download): Promise<Download | null> {
  return startDownload({ repo: download.repo, fileName: download.fileName, catalogId: download.catalogId });
}

export function pauseDownload(downloadId: string): Promise<Download | null> {
  return run(() => getApi().pauseDownload({ downloadId }));
}

export function resumeDownload(downloadId: string): Promise<Download | null> {
  return run(() => getApi().resumeDownload({ downloadId }));
}

export function cancelDownload(downloadId: string): Promise<Download | null> {
  return run(() => getApi().cancelDownload({ downloadId }));
}

export function dismissDownload(downloadId: string): void {
  set((s) => ({ downloads: dismiss(s.downloads, downloadId) }));
}

export function clearFinishedDownloads(): void {
  set((s) => {
    const downloads = dismissFinished(s.downloads);
    return downloads === s.downloads ? s : { downloads };
  });
}
