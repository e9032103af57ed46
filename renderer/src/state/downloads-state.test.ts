import { describe, expect, it } from "vitest";
import type { Download } from "../api/contract.js";
import {
  applyDownloadEvent,
  dismissDownload,
  downloadForFile,
  downloadFraction,
  emptyDownloadsState,
  mergeDownloads,
  summarizeDownloads,
  visibleDownloads,
} from "./downloads-state.js";

function download(overrides: Partial<Download> = {}): Download {
  return {
    id: "d1",
    repo: "owner/model-GGUF",
    fileName: "model-Q4_K_M.gguf",
    catalogId: null,
    status: "downloading",
    totalBytes: 1000,
    downloadedBytes: 250,
    bytesPerSecond: 100,
    etaSeconds: 7.5,
    attempts: 0,
    stalledSince: null,
    retryAt: null,
    error: null,
    modelId: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

const updated = (d: Download) => ({ type: "download-updated" as const, download: d });

describe("applyDownloadEvent", () => {
  it("adds a new download and replaces it with newer updates", () => {
    let state = applyDownloadEvent(emptyDownloadsState, updated(download()));
    expect(state.byId.d1?.downloadedBytes).toBe(250);
    state = applyDownloadEvent(state, updated(download({ downloadedBytes: 600, updatedAt: 1_100 })));
    expect(state.byId.d1?.downloadedBytes).toBe(600);
    state = applyDownloadEvent(state, updated(download({ status: "paused", downloadedBytes: 600, updatedAt: 1_200 })));
    expect(state.byId.d1?.status).toBe("paused");
  });

  it("ignores an update older than the one it holds", () => {
    const state = applyDownloadEvent(emptyDownloadsState, updated(download({ downloadedBytes: 600, updatedAt: 2_000 })));
    const after = applyDownloadEvent(state, updated(download({ downloadedBytes: 300, updatedAt: 1_500 })));
    expect(after).toBe(state);
  });

  it("keeps other downloads untouched", () => {
    const other = download({ id: "d2", fileName: "other.gguf" });
    const state = applyDownloadEvent(applyDownloadEvent(emptyDownloadsState, updated(other)), updated(download()));
    const next = applyDownloadEvent(state, updated(download({ downloadedBytes: 900, updatedAt: 1_001 })));
    expect(next.byId.d2).toBe(other);
  });

  it("shows a cleared download again when it becomes active", () => {
    let state = applyDownloadEvent(emptyDownloadsState, updated(download({ status: "failed", updatedAt: 1_100 })));
    state = dismissDownload(state, "d1");
    expect(visibleDownloads(state, 0)).toEqual([]);
    state = applyDownloadEvent(state, updated(download({ status: "queued", updatedAt: 1_200 })));
    expect(visibleDownloads(state, 0).map((d) => d.id)).toEqual(["d1"]);
  });
});

describe("mergeDownloads", () => {
  it("keeps the newer copy when a list answer crosses a live event", () => {
    let state = applyDownloadEvent(emptyDownloadsState, updated(download({ downloadedBytes: 800, updatedAt: 3_000 })));
    state = mergeDownloads(state, [download({ downloadedBytes: 100, updatedAt: 2_000 }), download({ id: "d2", updatedAt: 2_000 })]);
    expect(state.byId.d1?.downloadedBytes).toBe(800);
    expect(state.byId.d2).toBeDefined();
  });
});

describe("dismissDownload", () => {
  it("hides finished downloads but never an active one", () => {
    const active = applyDownloadEvent(emptyDownloadsState, updated(download({ status: "paused" })));
    expect(dismissDownload(active, "d1")).toBe(active);
    const done = applyDownloadEvent(emptyDownloadsState, updated(download({ status: "completed" })));
    expect(dismissDownload(done, "d1").dismissed).toEqual({ d1: true });
    expect(dismissDownload(done, "missing")).toBe(done);
  });
});

describe("visibleDownloads", () => {
  it("lists active downloads and this session's finished ones, newest first", () => {
    const state = mergeDownloads(emptyDownloadsState, [
      download({ id: "old-done", status: "completed", createdAt: 10, updatedAt: 20 }),
      download({ id: "old-paused", status: "paused", createdAt: 30, updatedAt: 40 }),
      download({ id: "new-failed", status: "failed", createdAt: 200, updatedAt: 210 }),
      download({ id: "new-active", status: "downloading", createdAt: 300, updatedAt: 310 }),
    ]);
    expect(visibleDownloads(state, 100).map((d) => d.id)).toEqual(["new-active", "new-failed", "old-paused"]);
  });
});

describe("progress helpers", () => {
  it("computes the fraction done, unknown without a size", () => {
    expect(downloadFraction(download())).toBe(0.25);
    expect(downloadFraction(download({ totalBytes: 0 }))).toBeNull();
    expect(downloadFraction(download({ status: "completed", totalBytes: 0 }))).toBe(1);
    expect(downloadFraction(download({ downloadedBytes: 2_000 }))).toBe(1);
  });

  it("finds the newest download of a file", () => {
    const state = mergeDownloads(emptyDownloadsState, [
      download({ id: "a", status: "cancelled", createdAt: 1 }),
      download({ id: "b", status: "downloading", createdAt: 2 }),
      download({ id: "c", fileName: "other.gguf", createdAt: 3 }),
    ]);
    expect(downloadForFile(state, "owner/model-GGUF", "model-Q4_K_M.gguf")?.id).toBe("b");
    expect(downloadForFile(state, "owner/model-GGUF", "missing.gguf")).toBeUndefined();
  });

  it("sums the active downloads for the sidebar", () => {
    const summary = summarizeDownloads([
      download({ id: "a", downloadedBytes: 100, totalBytes: 400 }),
      download({ id: "b", status: "paused", downloadedBytes: 100, totalBytes: 600 }),
      download({ id: "c", status: "completed", downloadedBytes: 900, totalBytes: 900 }),
    ]);
    expect(summary).toEqual({ active: 2, downloadedBytes: 200, totalBytes: 1000, fraction: 0.2 });
    expect(summarizeDownloads([download({ totalBytes: 0 })]).fraction).toBeNull();
    expect(summarizeDownloads([]).active).toBe(0);
  });
});
