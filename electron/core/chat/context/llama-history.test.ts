import { DeepSeekChatWrapper, GeneralChatWrapper, Llama3ChatWrapper, QwenChatWrapper } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { reasoningFor, toLlamaChatHistory } from "./llama-history.js";
import type { PromptMessage } from "./prompt-message.js";

const source = (id: string) => ({ kind: "message" as const, messageId: id });
const messages: PromptMessage[] = [
  { role: "system", text: "Be brief.", source: { kind: "system-prompt" } },
  { role: "user", text: "Why is the sky blue?", source: source("u0") },
  { role: "assistant", text: "Rayleigh scattering.", reasoning: "Short wavelengths scatter more.", source: source("a0") },
  { role: "user", text: "And at sunset?", source: source("u1") },
];

describe("toLlamaChatHistory", () => {
  it("maps roles to node-llama-cpp items, reasoning to a thought segment before the text, and opens the answer", () => {
    expect(toLlamaChatHistory(messages)).toEqual([
      { type: "system", text: "Be brief." },
      { type: "user", text: "Why is the sky blue?" },
      {
        type: "model",
        response: [{ type: "segment", segmentType: "thought", text: "Short wavelengths scatter more.", ended: true }, "Rayleigh scattering."],
      },
      { type: "user", text: "And at sunset?" },
      { type: "model", response: [] },
    ]);
  });

  it("continues an answer that ends the prompt instead of opening a new one", () => {
    const partial: PromptMessage = { role: "assistant", text: "At sunset the light", source: source("a1") };
    const history = toLlamaChatHistory([...messages, partial]);
    expect(history.at(-1)).toEqual({ type: "model", response: ["At sunset the light"] });
    expect(history).toHaveLength(5);
  });

  it("continues an answer cut while thinking inside its open thought", () => {
    const thinking: PromptMessage = { role: "assistant", text: "", reasoning: "First, the sun is low", source: source("a1") };
    expect(toLlamaChatHistory([...messages, thinking]).at(-1)).toEqual({
      type: "model",
      response: [{ type: "segment", segmentType: "thought", text: "First, the sun is low", ended: false }],
    });
  });
});

describe("a continued answer in the model's own markup", () => {
  const render = (wrapper: QwenChatWrapper | Llama3ChatWrapper, prompt: PromptMessage[]) =>
    wrapper.generateContextState({ chatHistory: toLlamaChatHistory(prompt) }).contextText.toString();

  it("is the prompt that opens a new answer followed by the answer so far: no end of turn, no second header", () => {
    for (const wrapper of [new QwenChatWrapper(), new Llama3ChatWrapper()]) {
      const partial: PromptMessage = { role: "assistant", text: "At sunset the light", source: source("a1") };
      expect(render(wrapper, [...messages, partial])).toBe(render(wrapper, messages) + "At sunset the light");
    }
  });

  it("goes on inside the open thought of an answer cut while thinking", () => {
    const wrapper = new QwenChatWrapper();
    const thinking: PromptMessage = { role: "assistant", text: "", reasoning: "First, the sun is low", source: source("a1") };
    expect(render(wrapper, [...messages, thinking])).toBe(`${render(wrapper, messages)}<think>\nFirst, the sun is low`);
  });
});

describe("reasoningFor: whether the model's template reads past thoughts", () => {
  it("keeps them for a wrapper with thought segments that keeps past thoughts, else only an answer's own when it is continued", () => {
    expect(reasoningFor(new QwenChatWrapper({ keepOnlyLastThought: false }))).toBe("keep");
    expect(reasoningFor(new DeepSeekChatWrapper({ keepOnlyLastThought: false }))).toBe("keep");
    expect(reasoningFor(new QwenChatWrapper())).toBe("keep-last");
    expect(reasoningFor(new DeepSeekChatWrapper())).toBe("keep-last");
    expect(reasoningFor(new Llama3ChatWrapper())).toBe("strip");
    expect(reasoningFor(new GeneralChatWrapper())).toBe("strip");
  });

  it("a wrapper that keeps thoughts renders them in the model's markup", () => {
    const text = new QwenChatWrapper({ keepOnlyLastThought: false }).generateContextState({ chatHistory: toLlamaChatHistory(messages) }).contextText.toString();
    expect(text).toContain("<think>");
    expect(text).toContain("Short wavelengths scatter more.");
  });

  it("a wrapper without thought segments would print a thought as answer text, which is why it is stripped there", () => {
    const text = new GeneralChatWrapper().generateContextState({ chatHistory: toLlamaChatHistory(messages) }).contextText.toString();
    expect(text).toContain("Short wavelengths scatter more.Rayleigh scattering.");
  });
});
