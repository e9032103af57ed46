import { ConversationList } from "../features/chat/ConversationList.js";
import { newChat, setView } from "../state/actions.js";
import { useHearth } from "../state/store.js";

export function Sidebar() {
  const view = useHearth((s) => s.view);
  const modelCount = useHearth((s) => s.models.length);
  const gpu = useHearth((s) => s.appInfo?.gpu ?? null);

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
      <div className="sidebar-section-label">Chats</div>
      <div className="sidebar-scroll">
        <ConversationList />
      </div>
      <div className="sidebar-footer">
        <button
          type="button"
          className={`nav-item${view === "models" ? " active" : ""}`}
          aria-current={view === "models" ? "page" : undefined}
          onClick={() => setView(view === "models" ? "chat" : "models")}
          data-testid="nav-models"
        >
          <span>Models</span>
          <span className="count">{modelCount}</span>
        </button>
        <div className="privacy-note" title={gpu ? `Accelerator: ${gpu}` : undefined}>
          <span className="dot" aria-hidden="true" /> Offline · runs on this computer
        </div>
      </div>
    </nav>
  );
}
