import { afterEach, describe, expect, it } from "vitest";
import type { Conversation } from "../../electron/contract/index.js";
import type { CoreInternals } from "../../electron/core/core.js";
import { longTurn, startChatCore, type Finish } from "../fixtures/chat-core.js";
import { call } from "../fixtures/core-call.js";

// The conversation's "stop and ask" setting through the contract, on the real engine with a 256-token context: the
// answer that would need older messages dropped fails saying how many, nothing is dropped until the user agrees,
// and "drop the oldest and answer" (regenerate with contextOverflow) drops exactly those, once.

const CONTEXT_SIZE = 256;
const cores: CoreInternals[] = [];

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

async function setUp() {
  const chat = await startChatCore();
  cores.push(chat.core);
  return chat;
}

describe("stop and ask through the contract", () => {
  it("refuses values the setting and the one-time override do not have", async () => {
    const { core, conversationId } = await setUp();
    const bad = await core.call("updateConversationSettings", { conversationId, settings: { contextOverflow: "forget-everything" } });
    expect(bad).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    // The override only ever agrees to drop; "asking" is the setting's to say.
    const override = await core.call("regenerateMessage", { conversationId, contextOverflow: "stop-and-ask" });
    expect(override).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });

  it("fails the answer saying what would go, drops nothing until asked, then drops exactly that once", async () => {
    const { core, conversationId, send, finished, branch, meter } = await setUp();
    const updated = await call<Conversation>(core, "updateConversationSettings", {
      conversationId,
      settings: { maxOutputTokens: 8, temperature: 0, contextSize: CONTEXT_SIZE, contextOverflow: "stop-and-ask" },
    });
    expect(updated.settings.contextOverflow).toBe("stop-and-ask");

    let stopped: Finish | null = null;
    for (let i = 1; i <= 12 && !stopped; i++) {
      const { done } = await send(longTurn(i));
      if (done.status === "error") stopped = done;
      else expect(done.status).toBe("complete");
    }
    expect(stopped, "a 256-token context fills within 12 turns").not.toBeNull();
    expect(stopped!.error).toMatchObject({ code: "CONTEXT_FULL", reason: "needs-dropping" });
    const wouldDrop = Number(/Drop the first (\d+) messages/.exec(stopped!.error!.message)?.[1]);
    expect(wouldDrop).toBeGreaterThan(0);
    // Nothing was dropped silently on the way.
    expect((await branch()).filter((m) => m.stats?.context)).toEqual([]);
    // The stored answer keeps the reason too (a reload still offers to drop).
    expect((await branch()).at(-1)?.error?.reason).toBe("needs-dropping");
    // The header says the branch is over the context, with nothing out of the model's memory yet.
    const asking = (await meter())!;
    expect(asking).toMatchObject({ level: "full", droppedCount: 0 });
    expect(asking.usedTokens).toBeGreaterThan(CONTEXT_SIZE);

    const again = await call<{ assistantMessageId: string }>(core, "regenerateMessage", {
      conversationId,
      messageId: stopped!.messageId,
      contextOverflow: "drop-oldest",
    });
    const agreed = await finished(again.assistantMessageId);
    expect(agreed.status).toBe("complete");
    const answer = (await branch()).at(-1)!;
    expect(answer.id).toBe(again.assistantMessageId);
    expect(answer.stats?.context?.droppedCount).toBe(wouldDrop);
    expect((await meter())?.droppedCount).toBe(wouldDrop);

    // The setting is unchanged, and the next turn keeps to the agreed start without asking again.
    expect((await call<{ conversation: Conversation }>(core, "getConversation", { conversationId })).conversation.settings.contextOverflow).toBe("stop-and-ask");
    const { done: next } = await send(longTurn(20));
    expect(next.status).toBe("complete");
    expect((await branch()).at(-1)?.stats?.context?.firstKeptMessageId).toBe(answer.stats?.context?.firstKeptMessageId);
  });
});
