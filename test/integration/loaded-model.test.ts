import { afterAll, describe, expect, it } from "vitest";
import type { EngineEvent, LoadedModel, ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// The model indicator: what is in memory and how much, from the engine itself, and Eject to free it.
let core: CoreInternals | null = null;
afterAll(() => core?.dispose());

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the loaded model", () => {
  it("is reported with its memory once a chat loads it, and Eject frees it", async () => {
    core = await createCore({ dataDir: tempDir("hearth-loaded-"), shell: "browser", threads: 1, policyFile: null });
    const events: EngineEvent[] = [];
    core.subscribe("engine", (event) => events.push(event));
    expect(await call<{ loaded: LoadedModel | null }>(core, "getLoadedModel", {})).toEqual({ loaded: null });

    const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
    const conversation = await call<{ id: string }>(core, "createConversation", {});
    await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 4, temperature: 0 } });
    let finished = false;
    core.subscribe("chat", (event) => {
      if (event.type === "message-finish") finished = true;
    });
    await call(core, "sendMessage", { conversationId: conversation.id, text: "Once upon a time" });
    await until(() => finished);

    const { loaded } = await call<{ loaded: LoadedModel | null }>(core, "getLoadedModel", {});
    expect(loaded).toMatchObject({ modelId: model.id, name: model.name });
    // The weights alone are most of the file; the context's state comes on top.
    expect(loaded!.memoryBytes).toBeGreaterThan(model.sizeBytes / 2);
    expect(loaded!.contextSize).toBeGreaterThan(0);
    console.info(`[loaded] event ${JSON.stringify(events.at(-1))} now ${JSON.stringify(loaded)}`);
    expect(events.at(-1)).toEqual({ type: "loaded-model-changed", loaded });

    const ejected = await call<{ ok: true; freedBytes: number }>(core, "ejectModel", {});
    expect(ejected).toEqual({ ok: true, freedBytes: loaded!.memoryBytes });
    expect(await call<{ loaded: LoadedModel | null }>(core, "getLoadedModel", {})).toEqual({ loaded: null });
    expect(events.at(-1)).toEqual({ type: "loaded-model-changed", loaded: null });
    // Nothing loaded: Eject is a no-op, not an error.
    expect(await call(core, "ejectModel", {})).toEqual({ ok: true, freedBytes: 0 });
  });
});
