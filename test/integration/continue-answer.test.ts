import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BranchMessage } from "../../electron/core/chat/context/prompt-message.js";
import { Engine, type GenerateRequest, type GenerateResult } from "../../electron/core/engine/engine.js";
import { engineRequest } from "../fixtures/engine-request.js";

// Continuing a cut-off answer on the real engine: the branch given to `generate` ends with the answer so far, and
// the model goes on writing it inside the same turn (node-llama-cpp continues a history that ends with a response).

const SYSTEM = "You tell short stories.";
const question: BranchMessage = { id: "u1", role: "user", content: "Once upon a time there was a little cat", reasoning: "", status: "complete" };

function answer(id: string, content: string, status: BranchMessage["status"] = "complete"): BranchMessage {
  return { id, role: "assistant", content, reasoning: "", status };
}

function request(branch: BranchMessage[], overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest({ systemPrompt: SYSTEM, branch }, { maxOutputTokens: 12, ...overrides });
}

describe("continuing a cut-off answer on the real engine", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  /** What the model holds now, as text with its markup: the prompt it read and the tokens it wrote. */
  const heldText = () => engine.currentModel!.detokenize(engine.currentSequence!.contextTokens, true);

  /** Continues `cut` (the answer so far to `question`), checking it goes on in the same turn. */
  async function continueAndCheck(cut: GenerateResult, conversationId: string) {
    const before = heldText();
    const deltas: string[] = [];
    const continued = await engine.generate(
      request([question, answer("a1", cut.text, cut.stopReason === "abort" ? "stopped" : "complete")], {
        conversationId,
        onTextDelta: (text) => deltas.push(text),
      }),
    );
    const after = heldText();

    expect(continued.stats.outputTokens).toBeGreaterThan(0);
    expect(continued.text.length).toBeGreaterThan(0);
    // The result and the deltas are only what came after the answer so far.
    expect(deltas.join("")).toBe(continued.text);
    // The prompt is the one the cut answer was written under, then that answer, then the new tokens: the answer
    // starts where it did, and everything the model holds from there on is the cut text followed by the new text.
    const at = after.indexOf(cut.text);
    expect(at).toBeGreaterThan(0);
    expect(after.slice(0, at)).toBe(before.slice(0, at));
    expect(after.length).toBeGreaterThan(at + cut.text.length);
    expect((cut.text + continued.text).startsWith(after.slice(at))).toBe(true);
    // No new turn: the model's turn was opened once (this model's template closes a user turn with [/INST]).
    expect(after.split("[/INST]")).toHaveLength(2);
    // Same prompt token for token: the KV cache from the cut answer is reused, nothing much is evaluated again.
    expect(continued.stats.evaluatedInputTokens).toBeLessThan(5);
    return continued;
  }

  it("an answer cut at the output limit: stats say 'length', and the model goes on from its last word in the same turn", async () => {
    const cut = await engine.generate(request([question]));
    expect(cut.stopReason).toBe("maxTokens");
    expect(cut.stats.finishReason).toBe("length");
    expect(cut.text.length).toBeGreaterThan(0);
    const continued = await continueAndCheck(cut, "c1");
    expect(["maxTokens", "eogToken"]).toContain(continued.stopReason);
    console.log(
      `[continue] cut at ${cut.stats.outputTokens} tokens after evaluating ${cut.stats.evaluatedInputTokens} prompt tokens; ` +
        `the continuation evaluated ${continued.stats.evaluatedInputTokens} and wrote ${continued.stats.outputTokens} more in the same turn`,
    );
    expect(continued.stats.finishReason).toBe(continued.stopReason === "maxTokens" ? "length" : "stop");
  });

  it("an answer the user stopped: stats say 'abort', and it is continued the same way", async () => {
    const controller = new AbortController();
    let chunks = 0;
    const cut = await engine.generate(
      request([question], {
        conversationId: "c2",
        maxOutputTokens: 200,
        signal: controller.signal,
        onTextDelta: () => {
          if (++chunks === 4) controller.abort();
        },
      }),
    );
    expect(cut.stopReason).toBe("abort");
    expect(cut.stats.finishReason).toBe("abort");
    await continueAndCheck(cut, "c2");
  });

  it("at the context limit drops the oldest turns, never the answer being continued", async () => {
    const branch: BranchMessage[] = [];
    for (let i = 0; i < 10; i++) {
      branch.push({ id: `q${i}`, role: "user", content: `Tell me story number ${i + 1} about a dog and a ball.`, reasoning: "", status: "complete" });
      branch.push(answer(`s${i}`, `The dog ran after the red ball in the park and was happy all day, story ${i + 1}.`));
    }
    const partial = "The little cat sat by the window and looked at the rain";
    branch.push({ ...question, id: "latest" }, answer("partial", partial, "stopped"));
    const result = await engine.generate(request(branch, { conversationId: "long", contextSize: 256, maxOutputTokens: 16 }));

    expect(result.context.branchTokens).toBeGreaterThan(result.context.budgetTokens);
    expect(result.context.usedTokens).toBeLessThanOrEqual(result.context.budgetTokens);
    expect(result.context.dropped.count).toBeGreaterThan(0);
    expect(result.context.dropped.messageIds).not.toContain("partial");
    expect(result.context.dropped.messageIds).not.toContain("latest");
    const held = heldText();
    expect(held).not.toContain("story number 1 ");
    expect(held.indexOf(partial)).toBeGreaterThan(held.indexOf("Once upon a time there was a little cat"));
    expect((partial + result.text).startsWith(held.slice(held.indexOf(partial)))).toBe(true);
  });

  it("a continuation whose question and answer so far alone do not fit fails with CONTEXT_FULL, pointing to a larger context", async () => {
    const long = "The cat walked and walked along the long road. ".repeat(40);
    const error = await engine.generate(request([question, answer("a1", long, "stopped")], { conversationId: "c3", contextSize: 256 })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "CONTEXT_FULL",
      message: expect.stringMatching(/^Your message and the answer so far, with the system prompt, need \d+ tokens.*Raise the context size/),
    });
  });
});
