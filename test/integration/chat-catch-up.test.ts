import { afterEach, describe, expect, it } from "vitest";
import type { Message, MethodOutput, ModelInfo, SequencedChatEvent } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { applyChatEvent } from "../../renderer/src/state/apply-chat-event.js";
import { setConversationMessages } from "../../renderer/src/state/messages-state.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

/**
 * Numbered chat events on the real core and engine: a window that opens a conversation mid-answer, or whose link
 * dropped, gets a snapshot exact up to a number and then the events after it, and ends with the stored answer.
 */

type Snapshot = MethodOutput<"getConversation">;

let core: CoreInternals | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

async function chatWithModel(): Promise<{ core: CoreInternals; conversationId: string }> {
  core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1, logger: createStderrLogger("error") });
  await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const conversation = await call<{ id: string }>(core, "createConversation", {});
  await call(core, "updateConversationSettings", { conversationId: conversation.id, settings: { maxOutputTokens: 60, temperature: 0 } });
  return { core, conversationId: conversation.id };
}

function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error("timed out"));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe("numbered chat events on the real core", () => {
  it("message-added first, numbers one apart; a snapshot taken mid-answer plus the events after it is the stored answer", async () => {
    const { core, conversationId } = await chatWithModel();
    const events: SequencedChatEvent[] = [];
    const snapshots: Snapshot[] = [];
    core.subscribe("chat", (event) => {
      events.push(event);
      // A window opening the conversation right now (the handler reads synchronously, as one request would).
      if (event.type === "text-delta" && snapshots.length < 2) {
        void core.handlers.getConversation({ conversationId }).then((s) => snapshots.push(s));
      }
    });
    const sent = await call<{ userMessage: Message; assistantMessageId: string }>(core, "sendMessage", {
      conversationId,
      text: "Once upon a time",
    });
    await waitFor(() => events.some((e) => e.type === "message-finish"));

    expect(events[0]).toMatchObject({ type: "message-added", conversationId, message: { id: sent.userMessage.id, role: "user" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => events[0]!.seq + i));
    const deltas = events.filter((e) => e.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(1);

    const stored = (await call<Snapshot>(core, "getConversation", { conversationId })).messages.at(-1)!;
    expect(stored.status).toBe("complete");
    expect(stored.parts).toEqual(stored.content ? [{ type: "text", text: stored.content }] : []);
    expect(snapshots).toHaveLength(2);
    for (const snapshot of snapshots) {
      const answer = snapshot.messages.at(-1)!;
      expect(answer.status).toBe("streaming");
      // Exactly the deltas numbered up to the snapshot's number: not the store's copy, behind or ahead of them.
      const upTo = deltas.filter((e) => e.seq <= snapshot.lastSeq).map((e) => (e.type === "text-delta" ? e.text : ""));
      expect(answer.content).toBe(upTo.join(""));
      expect(answer.parts).toEqual([{ type: "text", text: upTo.join("") }]);

      // The window applies the events after the snapshot (live or from a catch-up): the stored answer, no doubles.
      const caughtUp = await call<MethodOutput<"catchUpChat">>(core, "catchUpChat", { conversationId, afterSeq: snapshot.lastSeq });
      expect(caughtUp.reset).toBe(false);
      if (caughtUp.reset) return;
      expect(caughtUp.events).toEqual(events.filter((e) => e.seq > snapshot.lastSeq));
      let state = setConversationMessages({ byId: {}, idsByConversation: {} }, conversationId, snapshot.messages, { keepStreaming: false });
      // Finish without its whole text, so only the deltas build the answer.
      for (const event of caughtUp.events) {
        state = applyChatEvent(state, event.type === "message-finish" ? { ...event, content: undefined, reasoning: undefined } : event);
      }
      expect(state.byId[stored.id]?.content).toBe(stored.content);
      expect(state.byId[stored.id]?.status).toBe("complete");
    }
  }, 120_000);

  it("a number from before the core started is a reset; a deleted conversation is forgotten", async () => {
    const { core, conversationId } = await chatWithModel();
    const opened = await call<Snapshot>(core, "getConversation", { conversationId });
    expect(opened.lastSeq).toBeGreaterThan(0);
    expect(await call(core, "catchUpChat", { conversationId, afterSeq: opened.lastSeq })).toEqual({
      reset: false,
      events: [],
      lastSeq: opened.lastSeq,
    });
    expect(await call(core, "catchUpChat", { conversationId, afterSeq: 3 })).toEqual({ reset: true, lastSeq: opened.lastSeq });
    await call(core, "deleteConversation", { conversationId });
    const refused = await core.call("catchUpChat", { conversationId, afterSeq: opened.lastSeq });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe("NOT_FOUND");
  }, 60_000);
});
