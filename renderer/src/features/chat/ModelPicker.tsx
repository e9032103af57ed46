import { useMemo, useState } from "react";
import { openModels, reportError, updateConversationSettings } from "../../state/actions.js";
import { selectIsGenerating } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { modelLabels, modelSource } from "./model-labels.js";

const MORE = "__more__";

/** Which model answers in this conversation; it can change between answers, not during one. */
export function ModelPicker({ conversationId }: { conversationId: string }) {
  const modelId = useHearth((s) => s.conversations[conversationId]?.settings.modelId ?? null);
  const models = useHearth((s) => s.models);
  const generating = useHearth(selectIsGenerating(conversationId));
  const [saving, setSaving] = useState(false);
  const known = modelId === null || models.some((m) => m.id === modelId);
  const labels = useMemo(() => modelLabels(models), [models]);

  async function choose(value: string) {
    if (value === MORE) {
      openModels("catalog");
      return;
    }
    setSaving(true);
    const error = await updateConversationSettings(conversationId, { modelId: value === "" ? null : value });
    setSaving(false);
    if (error) reportError(error);
  }

  return (
    <label className="model-picker" title={generating ? "Stop or wait for the answer to switch models." : undefined}>
      <span className="visually-hidden">Model</span>
      <select
        className="select"
        value={modelId ?? ""}
        disabled={saving || generating}
        onChange={(e) => void choose(e.target.value)}
        data-testid="model-picker"
      >
        <option value="">Choose a model…</option>
        {!known && modelId && <option value={modelId}>Removed model</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id} disabled={!m.available} title={modelSource(m)} data-source={m.source}>
            {labels[m.id] ?? m.name}
            {m.available ? "" : " (file missing)"}
          </option>
        ))}
        <option value={MORE}>Get more models…</option>
      </select>
    </label>
  );
}
