import { afterAll, describe, expect, it } from "vitest";
import type { ChatEvent, EngineEvent, LoadedModel, Message } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { EngineHostClient } from "../../electron/core/engine-host/engine-host-client.js";
import { CRASH_MESSAGE } from "../../electron/core/engine-host/host-errors.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

/**
 * The core with its engine in a host process, as the built app runs it: the host killed (SIGKILL) while an answer
 * streams. The app stays up, the answer ends interrupted with the reason and keeps its text, the loaded model goes
 * back to none, and the next message is answered by a new host.
 */
let core: CoreInternals | null = null;
afterAll(() => core?.dispose());

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the core with the engine host", () => {
  it("a host killed mid-answer ends the answer interrupted with why; the next message is answered", async () => {
    core = await createCore({ dataDir: tempDir("hearth-host-core-"), shell: "browser", threads: 1, policyFile: null, engineHost: {} });
    const host = core.engine;
    expect(host).toBeInstanceOf(EngineHostClient);
    const pid = () => (host as EngineHostClient).hostPid;

    await call(core, "importModel", { path: storiesModel });
    const conversation = await call<{ id: string }>(core, "createConversation", {});
    await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 2000, contextSize: 2048, temperature: 0 } });

    const chat: ChatEvent[] = [];
    const engine: EngineEvent[] = [];
    let killed: number | null = null;
    let streamed = "";
    core.subscribe("engine", (event) => engine.push(event));
    core.subscribe("chat", (event) => {
      chat.push(event);
      if (event.type === "text-delta") {
        streamed += event.text;
        if (killed === null && streamed.length > 20) {
          killed = pid();
          process.kill(killed!, "SIGKILL");
        }
      }
    });
    await call(core, "sendMessage", { conversationId: conversation.id, text: "Once upon a time" });
    await until(() => chat.some((e) => e.type === "message-finish"));

    const finish = chat.find((e) => e.type === "message-finish") as Extract<ChatEvent, { type: "message-finish" }>;
    expect(killed).not.toBeNull();
    expect(finish.status).toBe("interrupted");
    expect(finish.error).toMatchObject({ code: "ENGINE_CRASHED", message: CRASH_MESSAGE });
    expect(finish.content!.length).toBeGreaterThanOrEqual(streamed.length);
    // Stored as the screen shows it: what was written, interrupted, with the reason.
    const { messages } = await call<{ messages: Message[] }>(core, "getConversation", { conversationId: conversation.id });
    const answer = messages.at(-1)!;
    expect(answer).toMatchObject({ role: "assistant", status: "interrupted", error: { code: "ENGINE_CRASHED", message: CRASH_MESSAGE } });
    expect(answer.content).toBe(finish.content);
    // The model indicator went back to none.
    expect(engine.at(-1)).toEqual({ type: "loaded-model-changed", loaded: null });
    expect(await call<{ loaded: LoadedModel | null }>(core, "getLoadedModel", {})).toEqual({ loaded: null });

    // The next message starts a new host and is answered.
    chat.length = 0;
    await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 8 } });
    await call(core, "sendMessage", { conversationId: conversation.id, text: "And then?" });
    await until(() => chat.some((e) => e.type === "message-finish"));
    const next = chat.find((e) => e.type === "message-finish") as Extract<ChatEvent, { type: "message-finish" }>;
    expect(next).toMatchObject({ status: "complete", error: null });
    expect(next.content!.length).toBeGreaterThan(0);
    expect(pid()).not.toBeNull();
    expect(pid()).not.toBe(killed);
    expect((await call<{ loaded: LoadedModel | null }>(core, "getLoadedModel", {})).loaded).not.toBeNull();
  });
});
