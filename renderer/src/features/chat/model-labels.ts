import type { ModelInfo } from "../../api/contract.js";

type Labelled = Pick<ModelInfo, "id" | "name" | "quantization" | "repo" | "path">;

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * What the model picker shows for each model: its name and quantization, and where two would read the same
 * (two quantizations of one model carry one name in their headers), the repository or file that tells them apart.
 */
export function modelLabels(models: readonly Labelled[]): Record<string, string> {
  const base = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const m of models) {
    const label = m.quantization && !m.name.includes(m.quantization) ? `${m.name} · ${m.quantization}` : m.name;
    base.set(m.id, label);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const labels: Record<string, string> = {};
  for (const m of models) {
    const label = base.get(m.id) ?? m.name;
    labels[m.id] = (counts.get(label) ?? 0) > 1 ? `${label} (${fileName(m.path)})` : label;
  }
  return labels;
}
