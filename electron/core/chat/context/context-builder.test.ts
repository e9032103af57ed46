import { describe, expect, it } from "vitest";
import { answerReserve, build, budgetFor, droppedNotice, overBudgetError } from "./context-builder.js";
import type { BranchMessage, BuildInput, PromptMessage } from "./prompt-message.js";
import { perMessageCounter } from "./token-counters.js";

/** One token a word, 3 tokens of markup a message, 2 for the prompt (BOS and the answer's opening). */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const countTokens = perMessageCounter(words, { perMessage: 3, perPrompt: 2 });

function msg(id: string, role: "user" | "assistant", content: string, extra: Partial<BranchMessage> = {}): BranchMessage {
  return { id, role, content, reasoning: "", status: "complete", ...extra };
}

/** `n` turns of a 5-word question and a 5-word answer, then a final 5-word question: each turn costs 16 tokens. */
function branchOf(n: number): BranchMessage[] {
  const branch: BranchMessage[] = [];
  for (let i = 0; i < n; i++) {
    branch.push(msg(`u${i}`, "user", `question number ${i} goes here`));
    branch.push(msg(`a${i}`, "assistant", `answer number ${i} goes here`));
  }
  branch.push(msg("latest", "user", "the latest question is this"));
  return branch;
}

function input(overrides: Partial<BuildInput> = {}): BuildInput {
  return {
    branch: branchOf(3),
    systemPrompt: "Be brief.",
    budget: { contextSize: 1000, reserveForAnswer: 100 },
    countTokens,
    overflow: "drop-oldest",
    reasoning: "strip",
    ...overrides,
  };
}

const ids = (messages: PromptMessage[]) => messages.map((m) => (m.source.kind === "message" ? m.source.messageId : m.source.kind === "extra" ? `extra:${m.source.extraId}` : "system"));

describe("build: within the budget", () => {
  it("returns the system prompt and every turn in order, typed and counted", () => {
    const result = build(input());
    expect(result.status).toBe("fits");
    expect(ids(result.messages)).toEqual(["system", "u0", "a0", "u1", "a1", "u2", "a2", "latest"]);
    expect(result.messages[0]).toEqual({ role: "system", text: "Be brief.", source: { kind: "system-prompt" } });
    expect(result.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant", "user"]);
    // 2 + system (3 + 2) + 7 messages of 3 + 5.
    expect(result.usedTokens).toBe(2 + 5 + 7 * 8);
    expect(result.usedTokens).toBe(result.branchTokens);
    expect(result.budgetTokens).toBe(900);
    expect(result.dropped).toEqual({ count: 0, messageIds: [], firstKeptMessageId: "u0" });
    expect(result.notice).toBeNull();
    expect(result.overBudget).toBeNull();
  });

  it("leaves out an empty system prompt and answers that failed before their first word, keeps a stopped answer's text", () => {
    const branch = [
      msg("u0", "user", "hello"),
      msg("a0", "assistant", "", { status: "error" }),
      msg("u1", "user", "hello again"),
      msg("a1", "assistant", "partial ans", { status: "stopped" }),
      msg("u2", "user", "go on"),
    ];
    const result = build(input({ branch, systemPrompt: "  " }));
    expect(ids(result.messages)).toEqual(["u0", "u1", "a1", "u2"]);
  });
});

describe("build: over the budget, drop oldest", () => {
  // Full prompt: 2 + 5 + 7 * 8 = 63 tokens. Without turn 0: 47; without turns 0 and 1: 31; latest only: 15.
  it("drops whole turns oldest first, keeping the system prompt and the latest turns", () => {
    const result = build(input({ budget: { contextSize: 60, reserveForAnswer: 10 } }));
    expect(result.status).toBe("trimmed");
    expect(result.budgetTokens).toBe(50);
    expect(ids(result.messages)).toEqual(["system", "u1", "a1", "u2", "a2", "latest"]);
    expect(result.usedTokens).toBe(47);
    expect(result.branchTokens).toBe(63);
    expect(result.dropped).toEqual({ count: 2, messageIds: ["u0", "a0"], firstKeptMessageId: "u1" });
    expect(result.notice).toBe("The first 2 messages are no longer in the model's memory.");
  });

  it("drops the fewest turns that make it fit, and never half a turn", () => {
    for (let budget = 15; budget <= 63; budget++) {
      const result = build(input({ budget: { contextSize: budget, reserveForAnswer: 0 } }));
      expect(result.usedTokens).toBeLessThanOrEqual(budget);
      // One turn fewer dropped would not have fitted.
      const keptFrom = result.dropped.count;
      if (keptFrom > 0) {
        const oneMore = build(input({ branch: branchOf(3).slice(keptFrom - 2), budget: { contextSize: 10_000, reserveForAnswer: 0 } }));
        expect(oneMore.usedTokens).toBeGreaterThan(budget);
      }
      const kept = result.messages.filter((m) => m.source.kind === "message");
      expect(kept[0]?.role).toBe("user");
      expect(kept.at(-1)).toMatchObject({ source: { messageId: "latest" } });
      expect(result.messages[0]?.source.kind).toBe("system-prompt");
    }
  });

  it("counts the messages the user sees, an empty failed answer included", () => {
    const branch = [msg("u0", "user", "one two three four"), msg("a0", "assistant", "", { status: "error" }), ...branchOf(1)];
    const result = build(input({ branch, systemPrompt: "", budget: { contextSize: 30, reserveForAnswer: 0 } }));
    expect(result.status).toBe("trimmed");
    expect(result.dropped.messageIds).toEqual(["u0", "a0"]);
    expect(result.notice).toBe("The first 2 messages are no longer in the model's memory.");
  });

  it("keeps an answer being continued with the latest user message", () => {
    const branch = [...branchOf(2), msg("partial", "assistant", "so far it says", { status: "stopped" })];
    const result = build(input({ branch, budget: { contextSize: 40, reserveForAnswer: 0 } }));
    expect(ids(result.messages)).toEqual(["system", "u1", "a1", "latest", "partial"]);
  });

  it("asks for the counts of only a few candidate prompts on a long branch", () => {
    let calls = 0;
    const counting = (messages: readonly PromptMessage[]) => {
      calls++;
      return countTokens(messages);
    };
    const result = build(input({ branch: branchOf(500), countTokens: counting, budget: { contextSize: 1000, reserveForAnswer: 0 } }));
    expect(result.status).toBe("trimmed");
    expect(result.usedTokens).toBeLessThanOrEqual(1000);
    expect(calls).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(500)));
  });

  it("still returns a prompt that fits when a template's count is not monotone", () => {
    // A counter that charges 20 extra tokens whenever exactly two turns remain.
    const odd = (messages: readonly PromptMessage[]) => countTokens(messages) + (messages.filter((m) => m.role === "assistant").length === 2 ? 20 : 0);
    for (let budget = 15; budget <= 70; budget++) {
      const result = build(input({ countTokens: odd, budget: { contextSize: budget, reserveForAnswer: 0 } }));
      if (result.status !== "over-budget") expect(odd(result.messages)).toBeLessThanOrEqual(budget);
    }
  });
});

describe("build: what cannot be dropped does not fit", () => {
  it("is over-budget with a reason when the latest message alone is too long, never cut", () => {
    const long = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const branch = [...branchOf(2).slice(0, -1), msg("latest", "user", long)];
    const result = build(input({ branch, budget: { contextSize: 150, reserveForAnswer: 50 } }));
    expect(result.status).toBe("over-budget");
    expect(result.overBudget).toMatchObject({ reason: "latest-turn-too-long", requiredTokens: 2 + 5 + 203 });
    expect(result.overBudget!.message).toMatch(/^Your message, with the system prompt, needs 210 tokens, but this model's context has room for 100 \(150 tokens, 50 kept free/);
    // The message is whole: nothing was truncated to squeeze it in.
    expect(result.messages.at(-1)!.text).toBe(long);
    expect(ids(result.messages)).toEqual(["system", "latest"]);
    const error = overBudgetError(result);
    expect(error.code).toBe("CONTEXT_FULL");
    expect(error.message).toBe(result.overBudget!.message);
  });

  it("is over-budget when the system prompt alone does not fit", () => {
    const systemPrompt = Array.from({ length: 80 }, () => "rule").join(" ");
    const result = build(input({ systemPrompt, budget: { contextSize: 64, reserveForAnswer: 0 } }));
    expect(result.status).toBe("over-budget");
    expect(result.overBudget?.reason).toBe("latest-turn-too-long");
  });

  it("treats a budget the answer's reserve eats entirely as over-budget", () => {
    const result = build(input({ budget: { contextSize: 100, reserveForAnswer: 200 } }));
    expect(result.budgetTokens).toBe(0);
    expect(result.status).toBe("over-budget");
  });
});

describe("build: stop and ask", () => {
  it("drops nothing, says what would go, and returns the prompt that would be sent once the user agrees", () => {
    const budget = { contextSize: 60, reserveForAnswer: 10 };
    const asked = build(input({ overflow: "stop-and-ask", budget }));
    const dropped = build(input({ overflow: "drop-oldest", budget }));
    expect(asked.status).toBe("over-budget");
    expect(asked.overBudget).toMatchObject({ reason: "needs-dropping", requiredTokens: 47 });
    expect(asked.overBudget!.message).toMatch(/63 tokens, 50 available\)\. Drop the first 2 messages/);
    expect(asked.dropped).toEqual(dropped.dropped);
    expect(asked.messages).toEqual(dropped.messages);
    expect(asked.notice).toBe(dropped.notice);
  });

  it("sends as usual while everything fits", () => {
    expect(build(input({ overflow: "stop-and-ask" })).status).toBe("fits");
  });

  it("does not ask again about messages an earlier answer already left out, while nothing more has to go", () => {
    const budget = { contextSize: 100, reserveForAnswer: 0 };
    // 6 turns need 2 + 6 * 16 + 8 = 106 tokens; the answer the user let drop kept from u3, and the rest (58) fits.
    const result = build(input({ branch: branchOf(6), systemPrompt: "", budget, overflow: "stop-and-ask", keptFrom: "u3" }));
    expect(result.status).toBe("trimmed");
    expect(result.dropped).toMatchObject({ count: 6, firstKeptMessageId: "u3" });
    expect(result.overBudget).toBeNull();
  });

  it("asks again once more messages than an earlier answer left out would have to go", () => {
    const budget = { contextSize: 100, reserveForAnswer: 0 };
    // Kept from u1, the rest still needs 2 + 6 * 16 + 8 = 106 tokens: more turns would have to go.
    const result = build(input({ branch: branchOf(7), systemPrompt: "", budget, overflow: "stop-and-ask", keptFrom: "u1" }));
    expect(result.status).toBe("over-budget");
    expect(result.overBudget).toMatchObject({ reason: "needs-dropping" });
    expect(result.dropped.count).toBeGreaterThan(2);
    expect(result.overBudget!.message).toContain(`Drop the first ${result.dropped.count} messages`);
  });

  it("fails with CONTEXT_FULL carrying why, so the answer can offer to drop only where that helps", () => {
    const asked = build(input({ overflow: "stop-and-ask", budget: { contextSize: 60, reserveForAnswer: 10 } }));
    expect(overBudgetError(asked).toJSON()).toEqual({ code: "CONTEXT_FULL", message: asked.overBudget!.message, retryable: false, reason: "needs-dropping" });
    const long = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const tooLong = build(input({ branch: [msg("latest", "user", long)], overflow: "stop-and-ask", budget: { contextSize: 150, reserveForAnswer: 50 } }));
    expect(overBudgetError(tooLong).toJSON()).toMatchObject({ code: "CONTEXT_FULL", reason: "latest-turn-too-long" });
  });
});

describe("build: extras", () => {
  const passage = { id: "doc1", kind: "document" as const, text: "a passage of ten words from a document right here", placement: "after-system" as const };
  const tool = { id: "tool1", kind: "tool-result" as const, text: "result of four", placement: "before-latest-user" as const };

  it("places extras where they belong and counts them", () => {
    const result = build(input({ extras: [passage, tool] }));
    expect(ids(result.messages)).toEqual(["system", "extra:doc1", "u0", "a0", "u1", "a1", "u2", "a2", "extra:tool1", "latest"]);
    expect(result.messages[1]).toMatchObject({ role: "system", source: { kind: "extra", extraKind: "document" } });
    expect(result.messages[8]).toMatchObject({ role: "user", source: { kind: "extra", extraKind: "tool-result" } });
    expect(result.usedTokens).toBe(63 + 13 + 6);
  });

  it("drops older turns to make room for extras, never the extras", () => {
    const budget = { contextSize: 63, reserveForAnswer: 0 };
    expect(build(input({ budget })).status).toBe("fits");
    const result = build(input({ budget, extras: [passage] }));
    expect(result.status).toBe("trimmed");
    expect(ids(result.messages)).toEqual(["system", "extra:doc1", "u1", "a1", "u2", "a2", "latest"]);
  });

  it("says the added context is part of what does not fit", () => {
    const result = build(input({ extras: [passage], budget: { contextSize: 25, reserveForAnswer: 0 } }));
    expect(result.status).toBe("over-budget");
    expect(result.overBudget?.message).toMatch(/with the system prompt and the added context/);
  });
});

describe("build: continuing a cut-off answer", () => {
  /** branchOf(3), then the answer being continued: 9 words, so 12 tokens. */
  const cutOff = msg("partial", "assistant", "the answer was cut off right in the middle", { status: "stopped" });
  const continued = [...branchOf(3), cutOff];

  it("ends the prompt with the answer being continued and counts its tokens", () => {
    const result = build(input({ branch: continued }));
    expect(result.status).toBe("fits");
    expect(result.messages.at(-1)).toEqual({ role: "assistant", text: cutOff.content, source: { kind: "message", messageId: "partial" } });
    expect(result.usedTokens).toBe(build(input()).usedTokens + 3 + 9);
  });

  it("at the limit drops the oldest turns, never the answer being continued nor the question it answers", () => {
    // Whole branch: 63 + 12 = 75 tokens; without turn 0: 59; without turns 0 and 1: 43; the latest turn alone: 27.
    for (let budget = 27; budget < 75; budget++) {
      const result = build(input({ branch: continued, budget: { contextSize: budget, reserveForAnswer: 0 } }));
      expect(result.status).toBe("trimmed");
      expect(result.usedTokens).toBeLessThanOrEqual(budget);
      expect(ids(result.messages).slice(-2)).toEqual(["latest", "partial"]);
      expect(result.dropped.messageIds).not.toContain("partial");
    }
    const result = build(input({ branch: continued, budget: { contextSize: 50, reserveForAnswer: 0 } }));
    expect(ids(result.messages)).toEqual(["system", "u2", "a2", "latest", "partial"]);
    expect(result.dropped).toEqual({ count: 4, messageIds: ["u0", "a0", "u1", "a1"], firstKeptMessageId: "u2" });
  });

  it("when the question and the answer so far alone do not fit, says so and points to a larger context, not to shortening", () => {
    const result = build(input({ branch: continued, budget: { contextSize: 40, reserveForAnswer: 15 } }));
    expect(result.status).toBe("over-budget");
    expect(result.overBudget).toMatchObject({ reason: "latest-turn-too-long", requiredTokens: 2 + 5 + 8 + 12 });
    expect(result.overBudget!.message).toBe(
      "Your message and the answer so far, with the system prompt, need 27 tokens, but this model's context has room for 25 " +
        "(40 tokens, 15 kept free for the rest of the answer). Raise the context size in the conversation's settings, or regenerate the answer.",
    );
    expect(ids(result.messages)).toEqual(["system", "latest", "partial"]);
  });
});

describe("build: reasoning", () => {
  const branch = [msg("u0", "user", "why"), msg("a0", "assistant", "because", { reasoning: "let me think about it" }), msg("u1", "user", "and")];

  it("strips earlier answers' reasoning by default and counts without it", () => {
    const result = build(input({ branch, reasoning: "strip" }));
    expect(result.messages.some((m) => "reasoning" in m)).toBe(false);
    expect(result.usedTokens).toBe(2 + 5 + 4 + 4 + 4);
  });

  it("keep-last: keeps only the reasoning of an answer being continued, even one cut before its first word", () => {
    const continued = [...branch, msg("a1", "assistant", "", { reasoning: "thinking so far", status: "stopped" })];
    const result = build(input({ branch: continued, reasoning: "keep-last" }));
    expect(result.messages.filter((m) => m.reasoning !== undefined).map((m) => m.reasoning)).toEqual(["thinking so far"]);
    expect(build(input({ branch: continued, reasoning: "strip" })).messages.at(-1)).toMatchObject({ role: "user", text: "and" });
  });

  it("keeps it when the template needs it, and counts it", () => {
    const result = build(input({ branch, reasoning: "keep" }));
    expect(result.messages[2]).toEqual({ role: "assistant", text: "because", reasoning: "let me think about it", source: { kind: "message", messageId: "a0" } });
    expect(result.usedTokens).toBe(2 + 5 + 4 + 4 + 4 + 5);
  });
});

describe("budget helpers", () => {
  it("keeps the output limit free for the answer, at most half the context", () => {
    expect(answerReserve(4096, 512)).toBe(512);
    expect(answerReserve(4096, 4096)).toBe(2048);
    expect(answerReserve(4096, null)).toBe(1024);
    expect(answerReserve(256, null)).toBe(64);
    expect(budgetFor(8192, null)).toEqual({ contextSize: 8192, reserveForAnswer: 1024 });
  });

  it("words the notice for one and for many", () => {
    expect(droppedNotice(0)).toBeNull();
    expect(droppedNotice(1)).toBe("The first message is no longer in the model's memory.");
    expect(droppedNotice(12)).toBe("The first 12 messages are no longer in the model's memory.");
  });
});

describe("build: a start that stays put from turn to turn", () => {
  /** Sends turn after turn on a 100-token budget, passing each result's first kept message to the next send. */
  function starts(turns: number, options: Partial<BuildInput>): string[] {
    let keptFrom: string | null = null;
    const firstKept: string[] = [];
    for (let n = 1; n <= turns; n++) {
      const result = build(input({ branch: branchOf(n), systemPrompt: "", budget: { contextSize: 100, reserveForAnswer: 0 }, keptFrom, ...options }));
      expect(result.usedTokens).toBeLessThanOrEqual(100);
      expect(result.status).not.toBe("over-budget");
      keptFrom = result.dropped.count > 0 ? result.dropped.firstKeptMessageId : null;
      firstKept.push(keptFrom ?? "u0");
    }
    return firstKept;
  }
  const moves = (list: string[]) => list.filter((id, i) => i > 0 && id !== list[i - 1]).length;

  it("moves at every turn once full when only the fewest turns are dropped", () => {
    // 10 + 16 tokens a turn: full from the sixth turn on, then one turn goes at each send.
    expect(moves(starts(20, {}))).toBe(15);
  });

  it("moves only every other turn with a quarter of the budget freed at each cut, the dropped turns staying dropped", () => {
    const list = starts(20, { headroom: 0.25 });
    expect(moves(list)).toBe(8);
    expect(list.slice(5, 9)).toEqual(["u2", "u2", "u4", "u4"]);
  });

  it("forgets a start that is not on the branch, and brings everything back once the whole branch fits", () => {
    const budget = { contextSize: 100, reserveForAnswer: 0 };
    expect(build(input({ branch: branchOf(6), systemPrompt: "", budget, keptFrom: "elsewhere" })).dropped.firstKeptMessageId).toBe("u1");
    expect(build(input({ branch: branchOf(6), systemPrompt: "", budget: { contextSize: 1000, reserveForAnswer: 0 }, keptFrom: "u3" })).status).toBe("fits");
  });

  it("keeps to the start while the rest fits, even if fewer drops would do now", () => {
    const result = build(input({ branch: branchOf(6), systemPrompt: "", budget: { contextSize: 100, reserveForAnswer: 0 }, keptFrom: "a3" }));
    expect(result.status).toBe("trimmed");
    expect(result.dropped).toMatchObject({ count: 6, firstKeptMessageId: "u3" });
  });
});
