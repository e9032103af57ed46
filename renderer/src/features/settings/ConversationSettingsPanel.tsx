import { useState, type FormEvent } from "react";
import {
  conversationSettingsSchema,
  defaultConversationSettings,
  defaultSamplingSettings,
  type ContextOverflow,
  type Conversation,
  type ConversationSettings,
} from "../../api/contract.js";
import { toggleSettings, updateConversationSettings } from "../../state/actions.js";
import { useHearth } from "../../state/store.js";
import { samplingFromDraft, samplingLabels, toSamplingDraft, type SamplingDraft } from "./sampling-draft.js";
import { PresetPicker } from "./PresetPicker.js";
import { SamplingFields } from "./SamplingFields.js";
import "./settings.css";

export type Draft = {
  systemPrompt: string;
  temperature: string;
  contextSize: string;
  maxOutputTokens: string;
  contextOverflow: ContextOverflow;
  sampling: SamplingDraft;
};

const overflowOptions = [
  { value: "drop-oldest", label: "Drop the oldest messages" },
  { value: "stop-and-ask", label: "Stop and ask me" },
] as const;

const overflowHelp: Record<ContextOverflow, string> = {
  "drop-oldest": "The model forgets the oldest messages to make room, and the conversation shows where its memory begins.",
  "stop-and-ask": "The answer stops and asks you before the model forgets anything.",
};

export function toDraft(settings: EditableSettings): Draft {
  return {
    systemPrompt: settings.systemPrompt,
    temperature: String(settings.temperature),
    contextSize: String(settings.contextSize),
    maxOutputTokens: settings.maxOutputTokens === null ? "" : String(settings.maxOutputTokens),
    contextOverflow: settings.contextOverflow,
    sampling: toSamplingDraft(settings.sampling),
  };
}

// The model and the privacy mode are chosen in the chat's header, not in this form.
const editable = conversationSettingsSchema.omit({ modelId: true, privacyMode: true, cloudProviderId: true });
type EditableSettings = Omit<ConversationSettings, "modelId" | "privacyMode" | "cloudProviderId">;

/** Parses the form; the contract's schema gives the limits, so the messages match what the core enforces. */
export function parseDraft(draft: Draft): { ok: true; value: EditableSettings } | { ok: false; message: string } {
  const parsed = editable.safeParse({
    systemPrompt: draft.systemPrompt,
    temperature: Number(draft.temperature),
    contextSize: Number(draft.contextSize),
    maxOutputTokens: draft.maxOutputTokens.trim() === "" ? null : Number(draft.maxOutputTokens),
    contextOverflow: draft.contextOverflow,
    sampling: samplingFromDraft(draft.sampling),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const labels: Record<keyof Draft, string> = {
    systemPrompt: "System prompt",
    temperature: "Temperature",
    contextSize: "Context size",
    maxOutputTokens: "Max output tokens",
    contextOverflow: "Full context",
    sampling: "Sampling",
  };
  const field =
    issue?.path[0] === "sampling" ? samplingLabels[String(issue.path[1]) as keyof SamplingDraft] : labels[String(issue?.path[0]) as keyof Draft];
  return { ok: false, message: `${field ?? "A setting"}: ${issue?.message ?? "invalid value"}` };
}

/** What a preset keeps of the form (not the context size or the overflow choice, which depend on the model). */
function presetValues(draft: Draft) {
  const parsed = parseDraft(draft);
  if (!parsed.ok) return null;
  const { systemPrompt, temperature, maxOutputTokens, sampling } = parsed.value;
  return { systemPrompt, temperature, maxOutputTokens, sampling: sampling ?? defaultSamplingSettings };
}

export function ConversationSettingsPanel({ conversation }: { conversation: Conversation }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(conversation.settings));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  // "Reset to defaults" gives the system prompt new chats start with (Settings), not the built-in one.
  const defaultPrompt = useHearth((s) => s.appSettings?.defaultSystemPrompt) ?? defaultConversationSettings.systemPrompt;

  const edit = (field: Exclude<keyof Draft, "sampling">) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setSaved(false);
  };
  const editSampling = (key: keyof SamplingDraft, value: string) => {
    setDraft((d) => ({ ...d, sampling: { ...d.sampling, [key]: value } }));
    setSaved(false);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    const parsed = parseDraft(draft);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setSaving(true);
    const failure = await updateConversationSettings(conversation.id, parsed.value);
    setSaving(false);
    setError(failure?.message ?? null);
    setSaved(failure === null);
  }

  return (
    <aside className="settings-panel" aria-label="Chat settings" data-testid="settings-panel">
      <div className="settings-head">
        <h2>Chat settings</h2>
        <button type="button" className="icon-button" aria-label="Close settings" onClick={() => toggleSettings(false)}>
          ✕
        </button>
      </div>
      <form className="settings-form" onSubmit={save}>
        <PresetPicker
          current={presetValues(draft)}
          onApply={(preset) => {
            setDraft((d) => ({ ...d, ...toDraft({ ...preset, contextSize: Number(d.contextSize), contextOverflow: d.contextOverflow }), contextSize: d.contextSize }));
            setSaved(false);
          }}
        />
        <label className="field">
          <span className="field-label">System prompt</span>
          <textarea
            className="input"
            rows={5}
            value={draft.systemPrompt}
            onChange={(e) => edit("systemPrompt")(e.target.value)}
            data-testid="settings-system-prompt"
          />
          <span className="field-help">Instructions the model reads before the conversation.</span>
        </label>
        <label className="field">
          <span className="field-label">
            Temperature <output className="field-value">{Number(draft.temperature).toFixed(2)}</output>
          </span>
          <input
            type="range"
            min={0}
            max={2}
            step={0.05}
            value={draft.temperature}
            onChange={(e) => edit("temperature")(e.target.value)}
            data-testid="settings-temperature"
          />
          <span className="field-help">Lower is more focused, higher more varied.</span>
        </label>
        <label className="field">
          <span className="field-label">Context size (tokens)</span>
          <input
            className="input"
            type="number"
            min={128}
            step={128}
            value={draft.contextSize}
            onChange={(e) => edit("contextSize")(e.target.value)}
            data-testid="settings-context-size"
          />
          <span className="field-help">How much of the conversation the model sees. Larger uses more memory.</span>
        </label>
        <fieldset className="field fieldset" data-testid="settings-context-overflow" data-mode={draft.contextOverflow}>
          <legend className="field-label">When the conversation is longer than the model's memory</legend>
          {overflowOptions.map((option) => (
            <label key={option.value} className="choice">
              <input
                type="radio"
                name="context-overflow"
                value={option.value}
                checked={draft.contextOverflow === option.value}
                onChange={() => edit("contextOverflow")(option.value)}
                data-testid={`settings-context-overflow-${option.value}`}
              />
              {option.label}
            </label>
          ))}
          <span className="field-help" data-testid="settings-context-overflow-help">
            {overflowHelp[draft.contextOverflow]}
          </span>
        </fieldset>
        <label className="field">
          <span className="field-label">Max output tokens</span>
          <input
            className="input"
            type="number"
            min={1}
            placeholder="No limit"
            value={draft.maxOutputTokens}
            onChange={(e) => edit("maxOutputTokens")(e.target.value)}
            data-testid="settings-max-tokens"
          />
          <span className="field-help">Longest answer, from the local model or a cloud provider alike; Continue goes on from where it stopped. Leave empty to let the model finish on its own (a cloud provider then applies its own limit).</span>
        </label>
        <SamplingFields draft={draft.sampling} onChange={editSampling} />
        {error && (
          <div className="alert alert-error" role="alert" data-testid="settings-error">
            {error}
          </div>
        )}
        <div className="settings-actions">
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setDraft(toDraft({ ...defaultConversationSettings, systemPrompt: defaultPrompt }));
              setSaved(false);
            }}
          >
            Reset to defaults
          </button>
          <button type="submit" className="button primary" disabled={saving} data-testid="settings-save">
            {saving ? "Saving…" : saved ? "Saved" : "Save"}
          </button>
        </div>
      </form>
    </aside>
  );
}
