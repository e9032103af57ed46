import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../../electron/contract/index.js";
import type { CoreInternals } from "../../electron/core/core.js";
import { longTurn, startChatCore } from "../fixtures/chat-core.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// A long conversation on a small context, through the contract on the real engine: the answer whose prompt left the
// oldest messages out keeps how many, and the header's meter says how full the context is.

const CONTEXT_SIZE = 256;
const cores: CoreInternals[] = [];

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

async function setUp(modelPath = storiesModel) {
  const chat = await startChatCore(modelPath);
  cores.push(chat.core);
  await call(chat.core, "updateConversationSettings", {
    conversationId: chat.conversationId,
    settings: { maxOutputTokens: 8, temperature: 0, contextSize: CONTEXT_SIZE },
  });
  return chat;
}

describe("the context meter and the dropped messages of an answer", () => {
  it("an answer whose prompt was trimmed keeps how many messages went; the meter reports the branch", async () => {
    const { send, meter, branch } = await setUp();
    const fresh = await meter();
    expect(fresh).toMatchObject({ usedTokens: expect.any(Number), contextSize: CONTEXT_SIZE, level: "ok", droppedCount: 0 });

    await send(longTurn(1));
    const early = (await branch()).at(-1)!;
    expect(early.stats?.context).toBeUndefined();
    const afterOne = (await meter())!;
    expect(afterOne.usedTokens).toBeGreaterThan(fresh!.usedTokens);
    expect(afterOne.droppedCount).toBe(0);

    let trimmed: Message | undefined;
    for (let i = 2; i <= 12 && !trimmed; i++) {
      const { done } = await send(longTurn(i));
      expect(done.status).toBe("complete");
      const answer = (await branch()).at(-1)!;
      if (answer.stats?.context) trimmed = answer;
    }
    expect(trimmed, "a 256-token context fills within 12 turns").toBeDefined();
    const messages = await branch();
    const { droppedCount, firstKeptMessageId, usedTokens, budgetTokens } = trimmed!.stats!.context!;
    expect(droppedCount).toBeGreaterThan(0);
    expect(droppedCount % 2).toBe(0);
    // The first message the model still read is the one right after the dropped ones.
    expect(firstKeptMessageId).toBe(messages[droppedCount]!.id);
    expect(usedTokens).toBeLessThanOrEqual(budgetTokens);
    expect(budgetTokens).toBeLessThan(CONTEXT_SIZE);

    const full = (await meter())!;
    expect(full.contextSize).toBe(CONTEXT_SIZE);
    expect(full.level).toBe("full");
    expect(full.droppedCount).toBeGreaterThanOrEqual(droppedCount);
    expect(full.usedTokens).toBeGreaterThan(0);
    expect(full.usedTokens).toBeLessThanOrEqual(CONTEXT_SIZE);
  });

  it("a message too long for the context fails its answer with what to do, not a generic error", async () => {
    const { send } = await setUp();
    const { done } = await send(Array.from({ length: 20 }, (_, i) => longTurn(i)).join(" "));
    expect(done.status).toBe("error");
    expect(done.error?.code).toBe("CONTEXT_FULL");
    expect(done.error?.message).not.toMatch(/something went wrong/i);
    expect(done.error?.message.length).toBeGreaterThan(20);
  });

  it("gives no meter, and no error, when the model's file is gone", async () => {
    const dir = tempDir();
    const copy = path.join(dir, "stories-copy.gguf");
    fs.copyFileSync(storiesModel, copy);
    const { meter } = await setUp(copy);
    expect(await meter()).not.toBeNull();
    fs.rmSync(copy);
    expect(await meter()).toBeNull();
  });
});
