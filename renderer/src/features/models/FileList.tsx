import { useShallow } from "zustand/react/shallow";
import { fitKey } from "../../state/hub-state.js";
import { useHearth } from "../../state/store.js";
import { FileRow, type FileRowData } from "./FileRow.js";
import { recommendFile, type Fit } from "../../api/contract.js";

/** A repository's files with fit badges, and the one to pick marked as recommended. */
export function FileList({ repo, files, catalogId }: { repo: string; files: readonly FileRowData[]; catalogId?: string }) {
  // Shallow-equal list of fits: the list re-renders when a fit arrives, not on every store change.
  const fits = useHearth(
    useShallow((s) =>
      files.map((f) => {
        const fit = s.hub.fits[fitKey(repo, f.fileName)];
        return fit?.status === "ready" ? fit.value : null;
      }),
    ),
  );
  const known = files.flatMap((file, i) => {
    const fit: Fit | null = fits[i] ?? null;
    return fit ? [{ file, fit }] : [];
  });
  const recommended = recommendFile(known)?.file.fileName ?? null;
  if (files.length === 0) {
    return <p className="muted">This repository has no GGUF files Hearth can run.</p>;
  }
  return (
    <ul className="file-list" aria-label={`Files in ${repo}`}>
      {files.map((file) => (
        <FileRow key={file.fileName} repo={repo} file={file} catalogId={catalogId} recommended={file.fileName === recommended} />
      ))}
    </ul>
  );
}
