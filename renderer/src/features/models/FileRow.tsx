import { memo, useEffect, useRef, useState } from "react";
import { focusModel } from "../../state/actions.js";
import { startDownload } from "../../state/download-actions.js";
import { downloadForFile, downloadFraction, isActiveDownload } from "../../state/downloads-state.js";
import { ensureFit } from "../../state/hub-actions.js";
import { fitKey } from "../../state/hub-state.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { formatBytes, formatPercent } from "../../ui/format.js";
import { FitBadge } from "./FitBadge.js";

export type FileRowData = {
  fileName: string;
  quantization: string | null;
  sizeBytes: number;
  parts: number;
};

type Props = { repo: string; file: FileRowData; catalogId?: string; recommended: boolean };

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Checks the fit once the row is on screen: each check reads the file's header over the network. */
function useFitWhenVisible(repo: string, fileName: string) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver === "undefined") {
      void ensureFit(repo, fileName);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        void ensureFit(repo, fileName);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [repo, fileName]);
  return ref;
}

/** One downloadable file: quantization, size, whether it fits here, and what can be done with it. */
export const FileRow = memo(function FileRow({ repo, file, catalogId, recommended }: Props) {
  const ref = useFitWhenVisible(repo, file.fileName);
  const fit = useHearth((s) => s.hub.fits[fitKey(repo, file.fileName)]);
  const download = useHearth((s) => downloadForFile(s.downloads, repo, file.fileName));
  const installed = useHearth((s) => s.models.find((m) => m.repo === repo && baseName(m.path) === baseName(file.fileName)));
  const wontFit = fit?.status === "ready" && fit.value.verdict === "no";

  const [asking, setAsking] = useState(false);
  const anyway = asking ? (
    <ConfirmDialog
      title={`Download ${file.fileName} anyway?`}
      confirmLabel="Download anyway"
      testId="download-anyway-dialog"
      onConfirm={() => {
        setAsking(false);
        void startDownload({ repo, fileName: file.fileName, catalogId });
      }}
      onCancel={() => setAsking(false)}
    >
      <p>
        {file.fileName} ({formatBytes(file.sizeBytes)}) is not expected to run on this computer.
      </p>
      {fit?.status === "ready" && <p>{fit.value.detail}</p>}
    </ConfirmDialog>
  ) : null;
  const downloadAnyway = () => setAsking(true);

  let action;
  if (installed) {
    action = (
      <button type="button" className="button small" onClick={() => focusModel(installed.id)} data-testid="file-installed">
        Installed · Open
      </button>
    );
  } else if (download && isActiveDownload(download)) {
    const fraction = downloadFraction(download);
    action = (
      <span className="file-downloading" data-testid="file-downloading">
        {download.status === "paused" ? "Paused" : "Downloading"} {fraction === null ? "" : formatPercent(fraction)}
      </span>
    );
  } else if (wontFit) {
    action = (
      <span className="file-actions-stack">
        <button type="button" className="button small" disabled title="This file is not expected to run on this computer." data-testid="download-button">
          Download
        </button>
        <button type="button" className="link-button" onClick={downloadAnyway} data-testid="download-anyway">
          Download anyway…
        </button>
      </span>
    );
  } else {
    action = (
      <button
        type="button"
        className={`button small${recommended ? " primary" : ""}`}
        onClick={() => void startDownload({ repo, fileName: file.fileName, catalogId })}
        data-testid="download-button"
      >
        Download
      </button>
    );
  }

  return (
    <li
      ref={ref}
      className={`file-row${recommended ? " is-recommended" : ""}`}
      data-testid="repo-file"
      data-file-name={file.fileName}
      data-recommended={recommended ? "true" : undefined}
    >
      {anyway}
      <div className="file-main">
        <div className="file-title">
          <span className="file-quant">{file.quantization ?? "GGUF"}</span>
          {recommended && (
            <span className="recommended-mark" data-testid="recommended" title="The largest file that runs in the best place on this computer">
              ★ Recommended
            </span>
          )}
        </div>
        <div className="file-name" title={file.fileName}>
          {file.fileName}
        </div>
        {fit?.status === "ready" && <div className="file-fit-detail">{fit.value.detail}</div>}
        {wontFit && <div className="file-fit-detail danger-text">Won't fit: download only if you mean to move it to a bigger machine.</div>}
      </div>
      <div className="file-size">
        {formatBytes(file.sizeBytes)}
        {file.parts > 1 && <span className="muted"> · {file.parts} parts</span>}
      </div>
      <div className="file-fit">
        <FitBadge fit={fit} repo={repo} fileName={file.fileName} />
      </div>
      <div className="file-action">{action}</div>
    </li>
  );
});
