import { isMissingToken } from "../api/get-api.js";
import { ChatView } from "../features/chat/ChatView.js";
import { ModelsView } from "../features/models/ModelsView.js";
import { AuditView } from "../features/privacy/AuditView.js";
import { Welcome } from "../features/models/Welcome.js";
import { DatabaseRecovery } from "../features/recovery/DatabaseRecovery.js";
import { AppSettingsView } from "../features/settings/AppSettingsView.js";
import { KeyboardShortcuts } from "../features/shortcuts/KeyboardShortcuts.js";
import { SearchLayer } from "../features/search/SearchLayer.js";
import { useHearth } from "../state/store.js";
import { ConnectionBanner } from "./ConnectionBanner.js";
import { NoticeArea } from "./NoticeArea.js";
import { Sidebar } from "./Sidebar.js";
import { useAppliedTheme } from "./use-applied-theme.js";

function MainContent() {
  const view = useHearth((s) => s.view);
  const modelsLoaded = useHearth((s) => s.modelsLoaded);
  const hasModels = useHearth((s) => s.models.length > 0);
  const connection = useHearth((s) => s.connection);

  if (!modelsLoaded) {
    if (connection === "disconnected" && isMissingToken()) {
      return (
        <section className="centered-message" role="alert">
          <h1>Open Hearth from its link</h1>
          <p className="muted">
            This page needs the address printed by the Hearth server (it ends in <code>#token=…</code>).
          </p>
        </section>
      );
    }
    return <div className="centered-message muted">Starting Hearth…</div>;
  }
  if (view === "models") return <ModelsView />;
  if (view === "settings") return <AppSettingsView />;
  if (view === "audit") return <AuditView />;
  if (!hasModels) return <Welcome />;
  return <ChatView />;
}

export function App() {
  useAppliedTheme();
  return (
    <div className="app">
      <ConnectionBanner />
      <DatabaseRecovery />
      <div className="app-body">
        <Sidebar />
        <main className="main">
          <NoticeArea />
          <MainContent />
          <SearchLayer />
        </main>
      </div>
      <KeyboardShortcuts />
    </div>
  );
}
