import type { Preset } from "../../api/contract.js";

export type PresetValues = Omit<Preset, "id" | "name">;

/** The list with this preset saved: a preset of the same name (any case) takes the new values, else it is added. */
export function withPreset(presets: readonly Preset[], name: string, values: PresetValues, newId: () => string): Preset[] {
  const trimmed = name.trim();
  const at = presets.findIndex((p) => p.name.toLocaleLowerCase() === trimmed.toLocaleLowerCase());
  if (at === -1) return [...presets, { id: newId(), name: trimmed, ...values }];
  return presets.map((p, i) => (i === at ? { ...p, ...values } : p));
}

export function withoutPreset(presets: readonly Preset[], id: string): Preset[] {
  return presets.filter((p) => p.id !== id);
}
