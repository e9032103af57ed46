import type { ModelInfo } from "../../api/contract.js";
import { formatBytes } from "../../ui/format.js";

/** The question asked before deleting: what happens to the file, and what it frees. */
export function deleteQuestion(model: Pick<ModelInfo, "name" | "source" | "sizeBytes" | "path" | "usedBy">): string {
  const using = model.usedBy.length;
  const chats =
    using === 0 ? "" : `\n\n${using === 1 ? "1 chat uses" : `${using} chats use`} it; ${using === 1 ? "it keeps its" : "they keep their"} messages and will need another model.`;
  if (model.source === "downloaded") return `Delete ${model.name} and free ${formatBytes(model.sizeBytes)}?${chats}`;
  return `Remove ${model.name} from Hearth?\n\nThe file stays on disk at ${model.path}; only the entry in Hearth is removed.${chats}`;
}
