import { openModels } from "../../state/actions.js";
import { useHearth, type ModelsTab } from "../../state/store.js";
import "../chat/markdown/markdown.css";
import { CatalogTab } from "./CatalogTab.js";
import { DownloadsPanel } from "./DownloadsPanel.js";
import { InstalledModels } from "./InstalledModels.js";
import { SearchTab } from "./SearchTab.js";
import "./models.css";

const tabs: Array<{ id: ModelsTab; label: string; testId: string }> = [
  { id: "installed", label: "My models", testId: "models-tab-installed" },
  { id: "catalog", label: "Catalog", testId: "models-tab-catalog" },
  { id: "search", label: "Search Hugging Face", testId: "models-tab-search" },
];

export function ModelsView() {
  const tab = useHearth((s) => s.modelsTab);
  const count = useHearth((s) => s.models.length);
  return (
    <section className="models-view" data-testid="models-view">
      <header className="page-header">
        <h1>Models</h1>
        <p className="muted">Models run on this computer. Downloads are checked before they are added; nothing you write is uploaded.</p>
      </header>
      <DownloadsPanel />
      <div className="tabs" role="tablist" aria-label="Models">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`models-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="models-tabpanel"
            className={`tab${tab === t.id ? " active" : ""}`}
            onClick={() => openModels(t.id)}
            data-testid={t.testId}
          >
            {t.label}
            {t.id === "installed" && <span className="count">{count}</span>}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id="models-tabpanel" aria-labelledby={`models-tab-${tab}`}>
        {tab === "installed" && <InstalledModels />}
        {tab === "catalog" && <CatalogTab />}
        {tab === "search" && <SearchTab />}
      </div>
    </section>
  );
}
