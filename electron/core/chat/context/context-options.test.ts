import { describe, expect, it } from "vitest";
import { defaultConversationSettings, type Message, type MessageStats } from "../../../contract/index.js";
import { contextOptions, CUT_HEADROOM, keptFromOf } from "./context-options.js";

type Facts = Pick<Message, "role" | "stats" | "answeredBy">;

const stats = (firstKeptMessageId?: string): MessageStats => ({
  timeToFirstTokenMs: 10,
  tokensPerSecond: 20,
  outputTokens: 8,
  evaluatedInputTokens: 40,
  ...(firstKeptMessageId ? { context: { droppedCount: 4, firstKeptMessageId, usedTokens: 200, budgetTokens: 224 } } : {}),
});
const local = { kind: "local" as const, provider: null, model: "tiny", reason: "", failover: false };
const cloud = { kind: "cloud" as const, provider: "OpenAI", model: "gpt", reason: "", failover: false };

const user: Facts = { role: "user", stats: null, answeredBy: null };
const answer = (s: MessageStats | null, answeredBy: Facts["answeredBy"] = local): Facts => ({ role: "assistant", stats: s, answeredBy });
const conversation = (contextOverflow: "drop-oldest" | "stop-and-ask") => ({ settings: { ...defaultConversationSettings, modelId: null, contextOverflow } });

describe("contextOptions", () => {
  it("follows the conversation's setting, with a room freed at each cut", () => {
    expect(contextOptions(conversation("stop-and-ask"), [user])).toEqual({ overflow: "stop-and-ask", keptFrom: null, headroom: CUT_HEADROOM });
    expect(contextOptions(conversation("drop-oldest"), [user])).toEqual({ overflow: "drop-oldest", keptFrom: null, headroom: CUT_HEADROOM });
  });

  it("drops the oldest for one send when the user agreed to, whatever the setting", () => {
    expect(contextOptions(conversation("stop-and-ask"), [user], { contextOverflow: "drop-oldest" }).overflow).toBe("drop-oldest");
    expect(contextOptions(conversation("stop-and-ask"), [user], {}).overflow).toBe("stop-and-ask");
  });

  it("keeps the start the latest answer kept", () => {
    const branch = [user, answer(stats("m2")), user, answer(stats("m6")), user];
    expect(contextOptions(conversation("drop-oldest"), branch).keptFrom).toBe("m6");
  });
});

describe("keptFromOf", () => {
  it("is null before any answer left messages out", () => {
    expect(keptFromOf([])).toBeNull();
    expect(keptFromOf([user, answer(stats()), user])).toBeNull();
  });

  it("is null again once the latest local answer read everything (a larger context, say)", () => {
    expect(keptFromOf([user, answer(stats("m2")), user, answer(stats()), user])).toBeNull();
  });

  it("skips answers that failed without stats, such as the one that stopped to ask", () => {
    expect(keptFromOf([user, answer(stats("m2")), user, answer(null)])).toBe("m2");
  });

  it("skips cloud answers: their provider got the whole branch, and says nothing of the local context", () => {
    expect(keptFromOf([user, answer(stats("m2")), user, answer(stats(), cloud), user])).toBe("m2");
  });

  it("counts answers stored before answers said who wrote them as local", () => {
    expect(keptFromOf([user, answer(stats("m4"), null)])).toBe("m4");
  });
});
