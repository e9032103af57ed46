import { useState, type FormEvent } from "react";
import { defaultConversationSettings, MAX_SYSTEM_PROMPT_CHARS, type AppSettings } from "../../api/contract.js";
import { saveAppSettings } from "../../state/settings-actions.js";

/** The system prompt every new chat starts with; a chat's own settings can still change its copy. */
export function NewChatDefaults({ settings }: { settings: AppSettings }) {
  const [prompt, setPrompt] = useState(settings.defaultSystemPrompt);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const tooLong = prompt.length > MAX_SYSTEM_PROMPT_CHARS;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const failure = await saveAppSettings({ defaultSystemPrompt: prompt });
    setSaving(false);
    setError(failure?.message ?? null);
    setSaved(failure === null);
  }

  return (
    <div className="panel" data-testid="new-chat-defaults">
      <h2>New chats</h2>
      <form className="settings-form app-settings-form" onSubmit={save}>
        <label className="field">
          <span className="field-label">System prompt</span>
          <textarea
            className="input"
            rows={4}
            value={prompt}
            onChange={(e) => {
              setPrompt(e.target.value);
              setSaved(false);
            }}
            data-testid="default-system-prompt"
          />
          <span className="field-help">
            {tooLong
              ? `At most ${MAX_SYSTEM_PROMPT_CHARS.toLocaleString()} characters.`
              : "What new chats tell the model before the conversation. Chats already started keep theirs."}
          </span>
        </label>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="settings-actions">
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setPrompt(defaultConversationSettings.systemPrompt);
              setSaved(false);
            }}
          >
            Use the built-in prompt
          </button>
          <button type="submit" className="button primary" disabled={saving || tooLong} data-testid="default-system-prompt-save">
            {saving ? "Saving…" : saved ? "Saved" : "Save"}
          </button>
        </div>
      </form>
    </div>
  );
}
