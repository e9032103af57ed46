import type { MessageStats } from "../api/contract.js";

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatParameters(count: number | null): string {
  if (count === null) return "unknown";
  if (count >= 1e9) return `${(count / 1e9).toFixed(count >= 1e10 ? 0 : 1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e7 ? 0 : 1)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(count);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** "0.21 s to first token · 85.3 tokens/s · 120 tokens" */
export function formatStats(stats: MessageStats): string {
  const parts: string[] = [];
  if (stats.timeToFirstTokenMs !== null) parts.push(`${formatDuration(stats.timeToFirstTokenMs)} to first token`);
  if (stats.tokensPerSecond !== null) parts.push(`${stats.tokensPerSecond.toFixed(1)} tokens/s`);
  parts.push(`${stats.outputTokens} ${stats.outputTokens === 1 ? "token" : "tokens"}`);
  return parts.join(" · ");
}

/** "1.2 MB/s" */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Time left, rounded the way people say it: "12 s left", "about 4 min left", "about 1 h 20 min left". */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  if (seconds < 1) return "almost done";
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ""} left`;
}

/** 0..1 → "42%"; never shows 100% before it is done. */
export function formatPercent(fraction: number): string {
  const percent = Math.floor(fraction * 100);
  return `${fraction >= 1 ? 100 : Math.min(99, percent)}%`;
}

/** Hub counters: 950, 12.3k, 4.5M. */
export function formatCount(count: number): string {
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e7 ? 0 : 1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(count >= 1e4 ? 0 : 1)}k`;
  return String(count);
}
