import fs from "node:fs";
import { AppError, type ContextMeterInfo } from "../../../contract/index.js";
import type { Logger } from "../../core-types.js";
import type { EnginePort } from "../../engine-host/engine-port.js";
import type { Store } from "../../store/store.js";
import { contextOptions } from "./context-options.js";

type MeterDeps = { store: Pick<Store, "requireConversation" | "getModel" | "listActiveBranch">; engine: Pick<EnginePort, "measureContext">; logger?: Logger };

/**
 * The header's context meter for a conversation's active branch, with its model's own tokenizer. Null when there is
 * nothing to measure with (no model chosen, its file gone, a file that will not load): the meter is a hint, never
 * a reason for an error.
 */
export async function measureConversation(deps: MeterDeps, conversationId: string): Promise<ContextMeterInfo | null> {
  const conversation = deps.store.requireConversation(conversationId);
  const modelId = conversation.settings.modelId;
  const model = modelId ? deps.store.getModel(modelId) : null;
  if (!model || !fs.existsSync(model.path)) return null;
  try {
    // An answer still being written holds no text worth counting yet; it is measured once it is done.
    const branch = deps.store.listActiveBranch(conversationId).filter((m) => m.status !== "streaming");
    // As the next send will fit it: from the start the latest answer kept, and (stop and ask) dropping nothing more.
    const fit = contextOptions(conversation, branch);
    const meter = await deps.engine.measureContext({
      model: { id: model.id, path: model.path, name: model.name },
      contextSize: conversation.settings.contextSize,
      maxOutputTokens: conversation.settings.maxOutputTokens,
      prompt: { systemPrompt: conversation.settings.systemPrompt, branch, ...fit },
    });
    return { usedTokens: meter.usedTokens, contextSize: meter.contextSize, level: meter.level, droppedCount: meter.droppedMessages };
  } catch (error) {
    deps.logger?.warn("context meter unavailable", { code: error instanceof AppError ? error.code : "INTERNAL" });
    return null;
  }
}
