import { useShallow } from "zustand/react/shallow";
import { ConversationList } from "../features/chat/ConversationList.js";
import { ModelIndicator } from "../features/models/ModelIndicator.js";
import { ImportConversationButton } from "../features/transfer/ImportConversationButton.js";
import { newChat, openModels } from "../state/actions.js";
import { auditLogCount } from "../state/audit-state.js";
import { openSearch } from "../state/search-actions.js";
import { summarizeDownloads } from "../state/downloads-state.js";
import { useHearth } from "../state/store.js";
import { formatPercent } from "./format.js";
import { goToAudit, goToModels, goToSettings } from "./sidebar-nav.js";

/** Shown while anything downloads: one line and a thin bar, a click away from the full panel. */
function DownloadsIndicator() {
  const summary = useHearth(useShallow((s) => summarizeDownloads(Object.values(s.downloads.byId))));
  if (summary.active === 0) return null;
  const label = summary.active === 1 ? "1 download" : `${summary.active} downloads`;
  return (
    <button type="button" className="nav-item downloads-indicator" onClick={() => openModels()} data-testid="downloads-indicator">
      <span className="downloads-indicator-text">
        <span>{label}</span>
        <span className="count">{summary.fraction === null ? "…" : formatPercent(summary.fraction)}</span>
      </span>
      <span className="mini-progress" aria-hidden="true">
        <span style={{ width: `${(summary.fraction ?? 0) * 100}%` }} />
      </span>
    </button>
  );
}

export function Sidebar() {
  const view = useHearth((s) => s.view);
  const modelCount = useHearth((s) => s.models.length);
  const gpu = useHearth((s) => s.appInfo?.gpu ?? null);
  // The whole log's size (the view loads it a page at a time).
  const auditCount = useHearth((s) => auditLogCount(s.audit));
  const hasProviders = useHearth((s) => s.providers.length > 0);

  return (
    <nav className="sidebar" aria-label="Hearth">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        <span className="brand-name">Hearth</span>
      </div>
      <button
        type="button"
        className="button primary new-chat"
        disabled={modelCount === 0}
        onClick={() => void newChat()}
        data-testid="new-chat"
      >
        + New chat
      </button>
      <button type="button" className="nav-item search-open" onClick={openSearch} title="Search all conversations (Ctrl/Cmd+K)" data-testid="search-open">
        <span>Search chats</span>
      </button>
      <div className="sidebar-section-label">Chats</div>
      <ImportConversationButton />
      <div className="sidebar-scroll">
        <ConversationList />
      </div>
      <div className="sidebar-footer">
        <ModelIndicator />
        <DownloadsIndicator />
        <button
          type="button"
          className={`nav-item${view === "models" ? " active" : ""}`}
          aria-current={view === "models" ? "page" : undefined}
          // Places to go, not switches: a second click stays (sidebar-nav.ts).
          onClick={goToModels}
          data-testid="nav-models"
        >
          <span>Models</span>
          <span className="count">{modelCount}</span>
        </button>
        <button
          type="button"
          className={`nav-item${view === "audit" ? " active" : ""}`}
          aria-current={view === "audit" ? "page" : undefined}
          onClick={goToAudit}
          title="Everything that left this computer"
          data-testid="audit-open"
        >
          <span>Audit log</span>
          <span className="count">{auditCount}</span>
        </button>
        <button
          type="button"
          className={`nav-item${view === "settings" ? " active" : ""}`}
          aria-current={view === "settings" ? "page" : undefined}
          onClick={goToSettings}
          data-testid="settings-open"
        >
          <span>Settings</span>
          <span className="nav-icon" aria-hidden="true">
            ⚙
          </span>
        </button>
        <div className="privacy-note" title={gpu ? `Accelerator: ${gpu}` : undefined}>
          <span className="dot" aria-hidden="true" /> {hasProviders ? "Cloud only where a chat allows it" : "Chats stay on this computer"}
        </div>
      </div>
    </nav>
  );
}
