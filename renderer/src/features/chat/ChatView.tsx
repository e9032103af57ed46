import { toggleSettings } from "../../state/actions.js";
import { selectActiveConversation } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { PrivacyBar } from "../privacy/PrivacyBar.js";
import { ConversationSettingsPanel } from "../settings/ConversationSettingsPanel.js";
import { Composer } from "./Composer.js";
import { ContextMeter } from "./ContextMeter.js";
import { MessageList } from "./MessageList.js";
import { ModelPicker } from "./ModelPicker.js";
import "./chat.css";
import "./markdown/markdown.css";

function NoModelHint({ conversationId }: { conversationId: string }) {
  const needsModel = useHearth((s) => {
    const modelId = s.conversations[conversationId]?.settings.modelId;
    return !modelId || !s.models.some((m) => m.id === modelId && m.available);
  });
  if (!needsModel) return null;
  return (
    <div className="composer-hint" role="note">
      Choose a model for this chat in the menu above.
    </div>
  );
}

export function ChatView() {
  const conversation = useHearth(selectActiveConversation);
  const settingsOpen = useHearth((s) => s.settingsOpen);

  if (!conversation) {
    return (
      <section className="chat chat-start">
        <div className="chat-empty">
          <h2>Start a conversation</h2>
          <p className="muted">Write below to begin a new chat. It stays on this computer.</p>
        </div>
        <div className="composer-wrap">
          <Composer conversationId={null} />
        </div>
      </section>
    );
  }

  return (
    <div className="chat-layout">
      <section className="chat" aria-label={conversation.title}>
        <header className="chat-header">
          <h1 className="chat-title" title={conversation.title} data-testid="chat-title">
            {conversation.title || "New chat"}
          </h1>
          <div className="chat-header-tools">
            <ContextMeter conversationId={conversation.id} />
            <ModelPicker conversationId={conversation.id} />
            <button
              type="button"
              className={`button ghost${settingsOpen ? " active" : ""}`}
              aria-expanded={settingsOpen}
              onClick={() => toggleSettings()}
              data-testid="settings-toggle"
            >
              Settings
            </button>
          </div>
        </header>
        <PrivacyBar conversation={conversation} />
        <MessageList conversationId={conversation.id} />
        <div className="composer-wrap">
          <NoModelHint conversationId={conversation.id} />
          <Composer conversationId={conversation.id} />
        </div>
      </section>
      {settingsOpen && <ConversationSettingsPanel key={conversation.id} conversation={conversation} />}
    </div>
  );
}
