import { getLlama, LlamaChat, type ChatHistoryItem, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, budgetFor } from "../../electron/core/chat/context/context-builder.js";
import { contextMeter } from "../../electron/core/chat/context/context-meter.js";
import { llamaPromptCounter, reasoningFor, toLlamaChatHistory } from "../../electron/core/chat/context/llama-history.js";
import type { BranchMessage, PromptTokenCounter } from "../../electron/core/chat/context/prompt-message.js";
import { llamaOptions } from "../../electron/core/engine/llama-options.js";
import { tinyLlamaModel } from "../fixtures/paths.js";

const CONTEXT_SIZE = 256;
const MAX_OUTPUT = 32;

/** A conversation of `turns` question/answer pairs about 20-30 tokens each, then a new question. */
function longBranch(turns: number): BranchMessage[] {
  const branch: BranchMessage[] = [];
  for (let i = 0; i < turns; i++) {
    branch.push({ id: `u${i}`, role: "user", content: `Question ${i + 1}: what should I pack for a hike of ${i + 3} hours in the mountains in spring?`, reasoning: "", status: "complete" });
    branch.push({ id: `a${i}`, role: "assistant", content: `For ${i + 3} hours: water, a warm layer, a rain jacket, snacks and a map. Tell someone your route.`, reasoning: "", status: "complete" });
  }
  branch.push({ id: "latest", role: "user", content: "And what if it starts to snow?", reasoning: "", status: "complete" });
  return branch;
}

describe("context builder on the tiny model's real tokenizer (32k Llama-2 vocabulary)", () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;
  let chat: LlamaChat;
  let countTokens: PromptTokenCounter;

  beforeAll(async () => {
    llama = await getLlama(llamaOptions({ gpu: false }));
    model = await llama.loadModel({ modelPath: tinyLlamaModel, gpuLayers: 0 });
    context = await model.createContext({ contextSize: CONTEXT_SIZE, threads: 1 });
    chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: "auto" });
    countTokens = llamaPromptCounter(chat.chatWrapper, model.tokenizer);
  });
  afterAll(async () => {
    chat?.dispose({ disposeSequence: true });
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
  });

  it("counts a prompt exactly as LlamaChat evaluates it", async () => {
    const branch = longBranch(1);
    const result = build({ branch, systemPrompt: "You are a careful guide.", budget: budgetFor(CONTEXT_SIZE, MAX_OUTPUT), countTokens, overflow: "drop-oldest", reasoning: reasoningFor(chat.chatWrapper) });
    expect(result.status).toBe("fits");
    const sequence = chat.sequence;
    await sequence.clearHistory();
    await chat.generateResponse(toLlamaChatHistory(result.messages), { maxTokens: 1, temperature: 0 });
    // The sequence holds the prompt and at most the one token generated.
    expect(sequence.contextTokens.length - result.usedTokens).toBeGreaterThanOrEqual(0);
    expect(sequence.contextTokens.length - result.usedTokens).toBeLessThanOrEqual(1);
  });

  it("trims a long branch to a 256-token context, says how many messages went, and LlamaChat then needs no context shift", async () => {
    const branch = longBranch(12);
    const budget = budgetFor(CONTEXT_SIZE, MAX_OUTPUT);
    const started = performance.now();
    let counts = 0;
    const counting: PromptTokenCounter = (messages) => {
      counts++;
      return countTokens(messages);
    };
    const result = build({ branch, systemPrompt: "You are a careful guide.", budget, countTokens: counting, overflow: "drop-oldest", reasoning: "strip" });
    const ms = performance.now() - started;
    expect(result.status).toBe("trimmed");
    expect(result.usedTokens).toBeLessThanOrEqual(CONTEXT_SIZE - MAX_OUTPUT);
    expect(result.branchTokens).toBeGreaterThan(CONTEXT_SIZE);
    expect(result.dropped.count).toBeGreaterThan(0);
    expect(result.dropped.count % 2).toBe(0);
    expect(result.messages[0]).toMatchObject({ role: "system", text: "You are a careful guide." });
    expect(result.messages.at(-1)).toMatchObject({ source: { kind: "message", messageId: "latest" } });
    expect(result.notice).toBe(`The first ${result.dropped.count} messages are no longer in the model's memory.`);
    // One turn fewer dropped would not have fitted: the builder keeps as much as the budget allows.
    const oneMore = branch.slice(result.dropped.count - 2);
    expect(build({ branch: oneMore, systemPrompt: "You are a careful guide.", budget: { contextSize: 10_000, reserveForAnswer: 0 }, countTokens, overflow: "drop-oldest", reasoning: "strip" }).usedTokens).toBeGreaterThan(budget.contextSize - budget.reserveForAnswer);

    // The trimmed prompt goes to LlamaChat as it is: the window it evaluated is exactly the history given.
    const history = toLlamaChatHistory(result.messages);
    await chat.sequence.clearHistory();
    const trimmed = await chat.generateResponse(history, { maxTokens: MAX_OUTPUT, temperature: 0 });
    expect(trimmed.lastEvaluation.contextWindow.slice(0, -1)).toEqual(history.slice(0, -1));

    // The whole branch, as the engine builds it today, is shifted by node-llama-cpp without a word.
    const whole: ChatHistoryItem[] = toLlamaChatHistory(build({ branch, systemPrompt: "You are a careful guide.", budget: { contextSize: 10_000, reserveForAnswer: 0 }, countTokens, overflow: "drop-oldest", reasoning: "strip" }).messages);
    await chat.sequence.clearHistory();
    const shifted = await chat.generateResponse(whole, { maxTokens: MAX_OUTPUT, temperature: 0 });
    const silentlyLost = whole.length - shifted.lastEvaluation.contextWindow.length;
    expect(silentlyLost).toBeGreaterThan(0);

    const meter = contextMeter({ branch, systemPrompt: "You are a careful guide.", budget, countTokens, reasoning: "strip" });
    expect(meter).toMatchObject({ level: "full", droppedMessages: result.dropped.count, usedTokens: result.usedTokens, branchTokens: result.branchTokens });

    const stop = build({ branch, systemPrompt: "You are a careful guide.", budget, countTokens, overflow: "stop-and-ask", reasoning: "strip" });
    expect(stop).toMatchObject({ status: "over-budget", overBudget: { reason: "needs-dropping" }, dropped: result.dropped });

    console.log(
      `[context-budget] context ${CONTEXT_SIZE}, reserve ${budget.reserveForAnswer}, budget ${result.budgetTokens}: ` +
        `branch of ${branch.length} messages = ${result.branchTokens} tokens -> ${result.status}, ${result.usedTokens} tokens sent, ` +
        `${result.dropped.count} messages dropped (first kept ${result.dropped.firstKeptMessageId}), ${counts} counts in ${ms.toFixed(1)} ms; ` +
        `untrimmed, LlamaChat's context shift dropped ${silentlyLost} of ${whole.length} history items silently; ` +
        `stop-and-ask: "${stop.overBudget?.message}"`,
    );
  });

  it("refuses, with the numbers, a latest message that alone does not fit", () => {
    const long = "Please summarise this. ".repeat(60);
    const branch: BranchMessage[] = [{ id: "latest", role: "user", content: long, reasoning: "", status: "complete" }];
    const result = build({ branch, systemPrompt: "You are a careful guide.", budget: budgetFor(CONTEXT_SIZE, MAX_OUTPUT), countTokens, overflow: "drop-oldest", reasoning: "strip" });
    expect(result.status).toBe("over-budget");
    expect(result.overBudget?.reason).toBe("latest-turn-too-long");
    expect(result.messages.at(-1)?.text).toBe(long);
    console.log(`[context-budget] latest message alone: ${result.usedTokens} tokens -> "${result.overBudget?.message}"`);
  });
});
