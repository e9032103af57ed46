import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, defaultConversationSettings, type Message } from "../../electron/contract/index.js";
import { contextOptions, type OverflowOverride } from "../../electron/core/chat/context/context-options.js";
import { statsWithContext } from "../../electron/core/chat/turn/engine-generator.js";
import { Engine, type GenerateResult } from "../../electron/core/engine/engine.js";
import { longTurn } from "../fixtures/chat-core.js";
import { engineRequest, stories } from "../fixtures/engine-request.js";

// "Stop and ask" on the real engine, driven the way the chat service drives it: each send's context options come
// from contextOptions() over the branch as stored (answers keep what their prompt left out in their stats).

const CONTEXT_SIZE = 256;
const conversation = {
  settings: { ...defaultConversationSettings, modelId: stories.id, contextSize: CONTEXT_SIZE, maxOutputTokens: 8, contextOverflow: "stop-and-ask" as const },
};

type Stored = Pick<Message, "id" | "role" | "content" | "reasoning" | "status" | "stats" | "answeredBy">;
const local = { kind: "local" as const, provider: null, model: stories.name, reason: "Local only", failover: false };

describe("a stop-and-ask conversation on the real engine", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  /** One answer to the branch as it stands (ending with a user message), as the chat service would ask for it. */
  const answer = (branch: Stored[], override: OverflowOverride = {}): Promise<GenerateResult> =>
    engine.generate(
      engineRequest(
        { systemPrompt: conversation.settings.systemPrompt, branch, ...contextOptions(conversation, branch, override) },
        { conversationId: "overflow", contextSize: CONTEXT_SIZE, maxOutputTokens: conversation.settings.maxOutputTokens },
      ),
    );
  const stored = (id: string, result: GenerateResult): Stored => ({
    id,
    role: "assistant",
    content: result.text,
    reasoning: "",
    status: "complete",
    stats: statsWithContext(result.stats, result.context),
    answeredBy: local,
  });
  const user = (i: number): Stored => ({ id: `u${i}`, role: "user", content: longTurn(i), reasoning: "", status: "complete", stats: null, answeredBy: null });
  const askedError = async (branch: Stored[]) => {
    const error = await answer(branch).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it("stops and asks instead of dropping, drops once agreed, then goes on without asking until more must go", async () => {
    const branch: Stored[] = [];
    let asked: AppError | null = null;
    let turns = 0;
    for (let i = 1; i <= 12 && !asked; i++) {
      branch.push(user(i));
      try {
        const result = await answer(branch);
        // Nothing is ever dropped silently: every answer until the ask read the whole branch.
        expect(result.context.dropped.count).toBe(0);
        branch.push(stored(`a${i}`, result));
        turns = i;
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        asked = error as AppError;
      }
    }
    expect(asked, "a 256-token context fills within 12 turns").not.toBeNull();
    expect(asked!.code).toBe("CONTEXT_FULL");
    expect(asked!.reason).toBe("needs-dropping");
    const wouldDrop = Number(/Drop the first (\d+) messages/.exec(asked!.message)?.[1]);
    expect(wouldDrop).toBeGreaterThan(0);

    // "Drop the oldest messages and answer": the same branch, dropping this once; exactly what the question said.
    const agreed = await answer(branch, { contextOverflow: "drop-oldest" });
    expect(agreed.context.dropped.count).toBe(wouldDrop);
    expect(agreed.context.usedTokens).toBeLessThanOrEqual(agreed.context.budgetTokens);
    branch.push(stored(`a${turns + 1}`, agreed));
    const firstKept = agreed.context.dropped.firstKeptMessageId;

    // The header's meter counts from the same kept start.
    const meter = await engine.measureContext({
      model: stories,
      contextSize: CONTEXT_SIZE,
      maxOutputTokens: 8,
      prompt: { systemPrompt: conversation.settings.systemPrompt, branch, ...contextOptions(conversation, branch) },
    });
    expect(meter.droppedMessages).toBe(wouldDrop);
    expect(meter.firstKeptMessageId).toBe(firstKept);

    // The next sends keep to that start without asking again while the rest fits, and reuse the evaluated prompt.
    const evaluated: number[] = [];
    let askedAgain: AppError | null = null;
    for (let i = turns + 2; i <= turns + 12 && !askedAgain; i++) {
      branch.push(user(i));
      try {
        const result = await answer(branch);
        expect(result.context.dropped.firstKeptMessageId).toBe(firstKept);
        evaluated.push(result.stats.evaluatedInputTokens);
        branch.push(stored(`a${i}`, result));
      } catch {
        askedAgain = await askedError(branch);
      }
    }
    expect(evaluated.length, "at least one more turn fits behind the kept start").toBeGreaterThan(0);
    expect(askedAgain?.reason, "asked again once more than the agreed messages would go").toBe("needs-dropping");
    const wouldDropNext = Number(/Drop the first (\d+) messages/.exec(askedAgain!.message)?.[1]);
    expect(wouldDropNext).toBeGreaterThan(wouldDrop);
    console.log(
      `[context-overflow] stop-and-ask on a ${CONTEXT_SIZE}-token context: ${turns} turns answered in full, then asked: "${asked!.message}" ` +
        `Agreed: ${agreed.context.dropped.count} messages dropped (${agreed.context.usedTokens}/${agreed.context.budgetTokens} tokens). ` +
        `${evaluated.length} more turn(s) without asking (prompt tokens evaluated: ${evaluated.join(", ")}), then asked to drop ${wouldDropNext}.`,
    );
  });

  it("does not offer to drop when the latest message alone does not fit", async () => {
    const long = Array.from({ length: 20 }, (_, i) => longTurn(i)).join(" ");
    const error = await askedError([{ ...user(1), content: long }]);
    expect(error.code).toBe("CONTEXT_FULL");
    expect(error.reason).toBe("latest-turn-too-long");
    expect(error.toJSON().reason).toBe("latest-turn-too-long");
  });
});
