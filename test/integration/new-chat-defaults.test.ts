import { afterEach, describe, expect, it } from "vitest";
import { defaultConversationSettings, type AppSettings, type Conversation } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

const cores: CoreInternals[] = [];
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.dispose())));

describe("settings: the system prompt new chats start with", () => {
  it("is the built-in one until changed; then new chats start with it, chats already started keep theirs", async () => {
    const core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, logger: createStderrLogger("error") });
    cores.push(core);
    const builtIn = defaultConversationSettings.systemPrompt;
    expect((await call<AppSettings>(core, "getSettings", {})).defaultSystemPrompt).toBe(builtIn);
    const before = await call<Conversation>(core, "createConversation", {});
    expect(before.settings.systemPrompt).toBe(builtIn);

    const pirate = "You are a pirate. Answer in pirate speak.";
    expect((await call<AppSettings>(core, "updateSettings", { defaultSystemPrompt: pirate })).defaultSystemPrompt).toBe(pirate);
    const after = await call<Conversation>(core, "createConversation", {});
    expect(after.settings.systemPrompt).toBe(pirate);
    const { conversation: kept } = await call<{ conversation: Conversation }>(core, "getConversation", { conversationId: before.id });
    expect(kept.settings.systemPrompt).toBe(builtIn);

    // An empty prompt is a choice too; one past the limit is refused as the chat's own field would be.
    await call(core, "updateSettings", { defaultSystemPrompt: "" });
    expect((await call<Conversation>(core, "createConversation", {})).settings.systemPrompt).toBe("");
    const refused = await core.call("updateSettings", { defaultSystemPrompt: "x".repeat(20_001) });
    expect(refused.ok ? null : refused.error.code).toBe("INVALID_INPUT");
  });
});
