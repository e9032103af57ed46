import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Download } from "../../api/contract.js";
import { clearFinishedDownloads } from "../../state/download-actions.js";
import { emptyDownloadsState, mergeDownloads, visibleDownloads } from "../../state/downloads-state.js";
import { useHearth } from "../../state/store.js";
import { DownloadsPanelView } from "./DownloadsPanel.js";

vi.mock("../../api/get-api.js", () => ({ getApi: () => ({}) }));

const original = useHearth.getState();
afterEach(() => useHearth.setState(original));

function download(overrides: Partial<Download>): Download {
  const now = Date.now();
  return {
    id: "d1",
    repo: "owner/model-GGUF",
    fileName: "model.gguf",
    catalogId: null,
    status: "downloading",
    totalBytes: 2_000_000_000,
    downloadedBytes: 500_000_000,
    bytesPerSecond: 0,
    etaSeconds: null,
    attempts: 0,
    stalledSince: null,
    retryAt: null,
    error: null,
    modelId: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** The panel as the store would feed it (server rendering reads a zustand store's initial state, not the set one). */
function render(): string {
  return renderToStaticMarkup(<DownloadsPanelView downloads={visibleDownloads(useHearth.getState().downloads, 0)} />);
}

function show(downloads: Download[]): string {
  useHearth.setState({ downloads: mergeDownloads(emptyDownloadsState, downloads) });
  return render();
}

describe("the downloads panel", () => {
  it("shows a lost connection with its countdown instead of the last speed and ETA", () => {
    const now = Date.now();
    const html = show([download({ stalledSince: now - 5_000, retryAt: now + 25_000 })]);
    expect(html).toMatch(/Connection lost — retrying in (24|25) s/);
    expect(html).toContain('data-connection="lost"');
    expect(html).not.toContain("MB/s");
  });

  it("shows speed and time left while bytes flow", () => {
    const html = show([download({ bytesPerSecond: 178_000_000, etaSeconds: 9 })]);
    expect(html).toContain("178 MB/s");
    expect(html).not.toContain("Connection lost");
  });

  it("clears every finished download at once, keeping the active ones", () => {
    const html = show([
      download({ id: "a", fileName: "going.gguf" }),
      download({ id: "b", fileName: "done.gguf", status: "completed" }),
      download({ id: "c", fileName: "broken.gguf", status: "failed" }),
    ]);
    expect(html).toContain('data-testid="downloads-clear-finished"');
    clearFinishedDownloads();
    const after = render();
    expect(after).toContain("going.gguf");
    expect(after).not.toContain("done.gguf");
    expect(after).not.toContain("broken.gguf");
    expect(after).not.toContain("downloads-clear-finished");
  });

  it("offers no Clear finished while everything is still going", () => {
    expect(show([download({})])).not.toContain("downloads-clear-finished");
  });
});
