import { describe, expect, it } from "vitest";
import type { Download } from "../../api/contract.js";
import { connectionText, downloadProgressText, downloadStatusText } from "./download-text.js";

const base: Download = {
  id: "d1",
  repo: "owner/model-GGUF",
  fileName: "model.gguf",
  catalogId: null,
  status: "downloading",
  totalBytes: 2_000_000_000,
  downloadedBytes: 500_000_000,
  bytesPerSecond: 178_000_000,
  etaSeconds: 9,
  attempts: 0,
  stalledSince: null,
  retryAt: null,
  error: null,
  modelId: null,
  createdAt: 1,
  updatedAt: 1,
};

describe("the download line", () => {
  it("shows speed and time left while bytes flow", () => {
    const text = downloadProgressText(base, 10_000);
    expect(text).toContain("178 MB/s");
    expect(text).not.toContain("Connection lost");
    expect(downloadStatusText(base)).toBe("Downloading");
  });

  it("says the connection is lost and counts down to the retry during a stall, with no frozen speed", () => {
    const stalled = { ...base, stalledSince: 10_000, retryAt: 40_000 };
    expect(downloadProgressText(stalled, 12_000)).toBe("500 MB of 2.0 GB · Connection lost — retrying in 28 s");
    expect(downloadProgressText(stalled, 39_100)).toContain("retrying in 1 s");
    expect(downloadProgressText(stalled, 40_500)).toContain("Connection lost — retrying now");
    expect(downloadProgressText(stalled, 12_000)).not.toMatch(/MB\/s|left/);
    expect(downloadStatusText(stalled)).toBe("Connection lost");
  });

  it("counts down the backoff while retrying", () => {
    const retrying = { ...base, status: "retrying" as const, attempts: 2, bytesPerSecond: 0, etaSeconds: null, retryAt: 5_000 };
    expect(connectionText(retrying, 0)).toBe("Connection lost — retrying in 5 s");
    expect(downloadStatusText(retrying)).toBe("Retrying (attempt 2)");
    expect(connectionText({ ...retrying, retryAt: null }, 0)).toBe("Connection lost — retrying");
  });

  it("says nothing about the connection when paused", () => {
    expect(connectionText({ ...base, status: "paused", stalledSince: 10 }, 0)).toBeNull();
  });
});
