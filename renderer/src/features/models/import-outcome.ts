import type { ModelInfo } from "../../api/contract.js";
import { formatBytes } from "../../ui/format.js";

/**
 * What the import form says after a file was accepted: what was added (name, quantization, size) and where to find
 * it, or, when the path was imported before, that nothing new was added.
 */
export function importOutcomeText(model: Pick<ModelInfo, "name" | "quantization" | "sizeBytes">, alreadyListed: boolean): string {
  if (alreadyListed) return `Already installed as ${model.name}; nothing new was added.`;
  const details = [model.quantization, formatBytes(model.sizeBytes)].filter(Boolean).join(", ");
  return `Added ${model.name} (${details}) to My models. Start a chat with it, or pick it in any chat's model list.`;
}
