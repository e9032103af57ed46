import { memo, useEffect } from "react";
import type { CatalogEntry } from "../../api/contract.js";
import { openExternalLink } from "../../state/actions.js";
import { loadCatalog } from "../../state/model-actions.js";
import { useHearth } from "../../state/store.js";
import { formatParameters } from "../../ui/format.js";
import { Markdown } from "../chat/markdown/Markdown.js";
import { ExternalLink } from "../chat/markdown/ExternalLink.js";
import { safeHttpUrl } from "../chat/markdown/safe-url.js";
import { FileList } from "./FileList.js";

const CatalogCard = memo(function CatalogCard({ entry }: { entry: CatalogEntry }) {
  const licenseUrl = safeHttpUrl(entry.licenseUrl);
  return (
    <li className="catalog-card" data-testid="catalog-entry" data-catalog-id={entry.id}>
      <header className="catalog-head">
        <div>
          <h3 className="catalog-name">{entry.name}</h3>
          <div className="muted catalog-by">
            {entry.publisher} · {entry.family}
          </div>
        </div>
        <span className="badge">{formatParameters(entry.parameters)} parameters</span>
      </header>
      <p className="catalog-description">{entry.description}</p>
      <dl className="model-meta">
        <div>
          <dt>Context length</dt>
          <dd>{entry.contextLength.toLocaleString()} tokens</dd>
        </div>
        <div>
          <dt>License</dt>
          <dd>
            {licenseUrl ? (
              <ExternalLink href={licenseUrl} onOpen={openExternalLink}>
                {entry.license}
              </ExternalLink>
            ) : (
              entry.license
            )}
          </dd>
        </div>
        <div className="model-meta-wide">
          <dt>Intended use</dt>
          <dd>{entry.intendedUse}</dd>
        </div>
        <div className="model-meta-wide">
          <dt>Limitations</dt>
          <dd>{entry.limitations}</dd>
        </div>
      </dl>
      <FileList
        repo={entry.repo}
        catalogId={entry.id}
        files={entry.files.map((f) => ({ fileName: f.fileName, quantization: f.quantization, sizeBytes: f.sizeBytes, parts: 1 }))}
      />
      <details className="model-doc">
        <summary>Model card</summary>
        <div className="model-doc-body" data-testid="catalog-card">
          <Markdown text={entry.card} onOpenLink={openExternalLink} />
        </div>
      </details>
    </li>
  );
});

/** A short list of open models Hearth knows: who made them, what they are for, their license, their files. */
export function CatalogTab() {
  const catalog = useHearth((s) => s.catalog);
  useEffect(() => {
    void loadCatalog();
  }, []);
  if (catalog === null) return <p className="muted">Loading the catalog…</p>;
  if (catalog.length === 0) return <p className="muted">The catalog is empty.</p>;
  return (
    <>
      <p className="muted tab-intro">
        Open models chosen for running on a personal computer, with their licenses and what they are meant for. Each
        file shows whether it fits this computer.
      </p>
      <ul className="catalog-list">
        {catalog.map((entry) => (
          <CatalogCard key={entry.id} entry={entry} />
        ))}
      </ul>
    </>
  );
}
