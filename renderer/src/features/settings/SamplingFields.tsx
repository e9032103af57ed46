import type { SamplingSettings } from "../../api/contract.js";
import { samplingLabels, type SamplingDraft } from "./sampling-draft.js";

type Field = { key: keyof SamplingSettings; testId: string; step: number; min: number; max?: number; help: string; placeholder?: string };

const fields: readonly Field[] = [
  { key: "topP", testId: "settings-top-p", step: 0.01, min: 0, max: 1, help: "Picks only among the likeliest words that together reach this share. 1 turns it off." },
  { key: "topK", testId: "settings-top-k", step: 1, min: 0, help: "Picks only among this many likeliest words. 0 turns it off." },
  { key: "minP", testId: "settings-min-p", step: 0.01, min: 0, max: 1, help: "Leaves out words far less likely than the likeliest. 0 turns it off." },
  { key: "repeatPenalty", testId: "settings-repeat-penalty", step: 0.05, min: 1, max: 2, help: "Makes recently used words less likely. 1 turns it off." },
  {
    key: "seed",
    testId: "settings-seed",
    step: 1,
    min: 0,
    placeholder: "Random",
    help: "The same seed writes the same answer to the same messages. Leave empty for a new one each time.",
  },
];

/** Top-p, top-k, min-p, repeat penalty and seed, folded away under "Sampling": most people never change them. */
export function SamplingFields({ draft, onChange }: { draft: SamplingDraft; onChange: (key: keyof SamplingSettings, value: string) => void }) {
  return (
    <details className="field sampling-fields" data-testid="settings-sampling">
      <summary className="field-label">Sampling</summary>
      {fields.map((field) => (
        <label key={field.key} className="field">
          <span className="field-label">{samplingLabels[field.key]}</span>
          <input
            className="input"
            type="number"
            min={field.min}
            max={field.max}
            step={field.step}
            placeholder={field.placeholder}
            value={draft[field.key]}
            onChange={(e) => onChange(field.key, e.target.value)}
            data-testid={field.testId}
          />
          <span className="field-help">{field.help}</span>
        </label>
      ))}
    </details>
  );
}
