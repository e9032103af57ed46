import { useState } from "react";
import { reportError, updateConversationSettings } from "../../state/actions.js";
import { useHearth } from "../../state/store.js";

/** Which model answers in this conversation. */
export function ModelPicker({ conversationId }: { conversationId: string }) {
  const modelId = useHearth((s) => s.conversations[conversationId]?.settings.modelId ?? null);
  const models = useHearth((s) => s.models);
  const [saving, setSaving] = useState(false);
  const known = modelId === null || models.some((m) => m.id === modelId);

  async function choose(value: string) {
    setSaving(true);
    const error = await updateConversationSettings(conversationId, { modelId: value === "" ? null : value });
    setSaving(false);
    if (error) reportError(error);
  }

  return (
    <label className="model-picker">
      <span className="visually-hidden">Model</span>
      <select
        className="select"
        value={modelId ?? ""}
        disabled={saving}
        onChange={(e) => void choose(e.target.value)}
        data-testid="model-picker"
      >
        <option value="">Choose a model…</option>
        {!known && modelId && <option value={modelId}>Removed model</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id} disabled={!m.available}>
            {m.name}
            {m.available ? "" : " (file missing)"}
          </option>
        ))}
      </select>
    </label>
  );
}
