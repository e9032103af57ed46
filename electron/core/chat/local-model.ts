import fs from "node:fs";
import { AppError } from "../../contract/index.js";
import type { Store } from "../store/store.js";

export type LocalModel = { id: string; path: string; name: string; parameters: number | null };

/**
 * The installed model `modelId`, with its file still on disk: checked when a turn starts and again when the local
 * model is asked to write (the user may remove the model or its file while a proposal waits).
 */
export function requireLocalModel(store: Store, modelId: string): LocalModel {
  const model = store.getModel(modelId);
  if (!model) throw new AppError("MODEL_NOT_FOUND", "The model of this conversation was removed. Choose another.");
  if (!fs.existsSync(model.path)) {
    throw new AppError("MODEL_FILE_MISSING", `The file of ${model.name} is gone from ${model.path}. Import it again or choose another model.`);
  }
  return { id: model.id, path: model.path, name: model.name, parameters: model.parameters };
}
