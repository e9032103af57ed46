import type { Download, DownloadStatus } from "../../api/contract.js";
import { formatBytes, formatSpeed, formatTimeLeft } from "../../ui/format.js";

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

type Shown = Pick<Download, "status" | "attempts" | "stalledSince" | "retryAt" | "downloadedBytes" | "totalBytes" | "bytesPerSecond" | "etaSeconds">;

/** The connection is silent or being retried: the core says so, and when the next attempt starts. */
export function connectionLost(download: Pick<Download, "status" | "stalledSince">): boolean {
  return download.status === "retrying" || (download.status === "downloading" && download.stalledSince !== null);
}

export function downloadStatusText(download: Shown): string {
  if (download.status === "retrying") return `Retrying (attempt ${download.attempts})`;
  if (connectionLost(download)) return "Connection lost";
  return statusLabels[download.status];
}

/** "Connection lost — retrying in 12 s", counting down to the core's `retryAt`; null while bytes flow. */
export function connectionText(download: Shown, now: number): string | null {
  if (!connectionLost(download)) return null;
  if (download.retryAt === null) return "Connection lost — retrying";
  const seconds = Math.ceil((download.retryAt - now) / 1000);
  return seconds > 0 ? `Connection lost — retrying in ${seconds} s` : "Connection lost — retrying now";
}

/** "120 MB of 2.5 GB · 4.1 MB/s · about 9 min left", saying only what is known (never a speed during a stall). */
export function downloadProgressText(download: Shown, now: number): string {
  const parts: string[] = [];
  const total = download.totalBytes > 0 ? ` of ${formatBytes(download.totalBytes)}` : "";
  parts.push(`${formatBytes(download.downloadedBytes)}${total}`);
  const lost = connectionText(download, now);
  if (lost) parts.push(lost);
  else if (download.status === "downloading") {
    if (download.bytesPerSecond > 0) parts.push(formatSpeed(download.bytesPerSecond));
    const left = formatTimeLeft(download.etaSeconds);
    if (left) parts.push(left);
  }
  if (download.status === "queued") parts.push("waiting for the download before it");
  if (download.status === "paused") parts.push("the part already downloaded is kept");
  if (download.status === "verifying") parts.push("checking the file before it is added");
  return parts.join(" · ");
}
