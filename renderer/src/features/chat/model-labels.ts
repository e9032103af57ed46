import type { ModelInfo } from "../../api/contract.js";

type Labelled = Pick<ModelInfo, "id" | "name" | "quantization" | "repo" | "path" | "source">;

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The file with its folder: what tells apart two imported copies of one file name. */
function shortPath(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.slice(-2).join("/");
}

/** Where a model came from, in words: its Hugging Face repository, or the file it was imported from. */
export function modelSource(model: Pick<ModelInfo, "source" | "repo" | "path">): string {
  return model.source === "downloaded" && model.repo ? `from ${model.repo}` : `imported from ${model.path}`;
}

function uniqueWhere(models: readonly Labelled[], label: (m: Labelled) => string): Map<string, string> {
  const counts = new Map<string, number>();
  for (const m of models) counts.set(label(m), (counts.get(label(m)) ?? 0) + 1);
  return new Map(models.map((m) => [m.id, (counts.get(label(m)) ?? 0) > 1 ? "" : label(m)]));
}

/**
 * What the model picker shows for each model: its name and quantization, and where two would read the same
 * (two quantizations of one model carry one name in their headers, or one model came from two places), where each
 * came from: the hub repository of a download, the file of an import (with its folder when the names match too).
 */
export function modelLabels(models: readonly Labelled[]): Record<string, string> {
  const base = (m: Labelled) => (m.quantization && !m.name.includes(m.quantization) ? `${m.name} · ${m.quantization}` : m.name);
  const plain = uniqueWhere(models, base);
  const bySource = (m: Labelled) => `${base(m)} (${m.source === "downloaded" && m.repo ? m.repo : `imported ${fileName(m.path)}`})`;
  const sourced = uniqueWhere(models, bySource);
  const labels: Record<string, string> = {};
  for (const m of models) {
    labels[m.id] =
      plain.get(m.id) ||
      sourced.get(m.id) ||
      `${base(m)} (${m.source === "downloaded" && m.repo ? `${m.repo}/${fileName(m.path)}` : `imported ${shortPath(m.path)}`})`;
  }
  return labels;
}
