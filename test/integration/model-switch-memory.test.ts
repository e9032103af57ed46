import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import type { Message, ModelInfo } from "../../electron/contract/index.js";
import { writeGguf } from "../../scripts/gguf-writer.js";
import { llamaModelSpec, readTokenizerMetadata, type LlamaShape } from "../../scripts/make-bench-model.js";
import { storiesModel, tempDir, tinyLlamaModel } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

/** A ~110 MB random-weight llama: large enough that loading and freeing it shows plainly in the process's RSS. */
const mediumShape: LlamaShape = {
  hiddenSize: 1024, layers: 8, heads: 16, kvHeads: 4, headDim: 64, ffnSize: 4096, ropeTheta: 10_000,
  rmsEps: 1e-5, contextLength: 2048, ropeScaling: null, tiedEmbeddings: true,
};

const rssMiB = () => process.memoryUsage().rss / 1024 ** 2;


async function answer(core: CoreInternals, conversationId: string): Promise<void> {
  const done = new Promise<void>((resolve) => {
    const off = core.subscribe("chat", (event) => {
      if (event.type === "message-finish" && event.conversationId === conversationId) {
        off();
        resolve();
      }
    });
  });
  await call(core, "sendMessage", { conversationId, text: "Once upon a time" });
  await done;
}

let core: CoreInternals;
afterAll(async () => core?.dispose());

describe("switching model per conversation", () => {
  it("unloads the previous model and frees its memory", async () => {
    const dir = tempDir();
    const mediumPath = path.join(dir, "medium-q8_0.gguf");
    const tokenizer = await readTokenizerMetadata(tinyLlamaModel);
    await writeGguf(mediumPath, llamaModelSpec(mediumShape, { name: "medium", weightType: "q8_0", tokenizer, seed: 3 }));
    const mediumMiB = fs.statSync(mediumPath).size / 1024 ** 2;
    expect(mediumMiB).toBeGreaterThan(80);

    core = await createCore({ dataDir: path.join(dir, "data"), shell: "browser", threads: 1 });
    const medium = await call<ModelInfo>(core, "importModel", { path: mediumPath });
    const stories = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const first = await call<{ id: string }>(core, "createConversation", { modelId: medium.id });
    const second = await call<{ id: string }>(core, "createConversation", { modelId: stories.id });
    for (const id of [first.id, second.id]) {
      await call(core, "updateConversationSettings", { conversationId: id, settings: { maxOutputTokens: 4, contextSize: 512 } });
    }

    const baseline = rssMiB();
    await answer(core, first.id);
    const withMedium = rssMiB();
    expect(core.engine.loadedModelId).toBe(medium.id);
    const mediumModel = core.localEngine!.currentModel!;

    await answer(core, second.id);
    const afterSwitch = rssMiB();
    expect(core.engine.loadedModelId).toBe(stories.id);
    expect(mediumModel.disposed).toBe(true);

    // The weights were paged in while answering and are released with the model.
    expect(withMedium - baseline).toBeGreaterThan(mediumMiB * 0.6);
    expect(withMedium - afterSwitch).toBeGreaterThan(mediumMiB * 0.6);
    console.log(
      `[memory] model ${mediumMiB.toFixed(0)} MiB; RSS before ${baseline.toFixed(0)} MiB, loaded ${withMedium.toFixed(0)} MiB, ` +
        `after switch ${afterSwitch.toFixed(0)} MiB (freed ${(withMedium - afterSwitch).toFixed(0)} MiB)`,
    );

    const messages = await call<{ messages: Message[] }>(core, "getConversation", { conversationId: second.id });
    expect(messages.messages.at(-1)).toMatchObject({ status: "complete", modelId: stories.id });
  });
});
