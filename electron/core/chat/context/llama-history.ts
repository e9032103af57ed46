import type { ChatHistoryItem, ChatModelResponse, ChatWrapper, Tokenizer } from "node-llama-cpp";
import type { PromptMessage, PromptTokenCounter, ReasoningChoice } from "./prompt-message.js";

/**
 * The builder's messages as node-llama-cpp's chat history. An answer's kept reasoning becomes a thought segment
 * ahead of its text, which the chat wrapper renders with the model's own markup (or leaves out, as the template
 * says). The history ends with the model's turn to answer: an empty response, or the last answer itself when it is
 * being continued.
 */
export function toLlamaChatHistory(messages: readonly PromptMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === "system") return { type: "system", text: m.text };
    if (m.role === "user") return { type: "user", text: m.text };
    const response: ChatModelResponse["response"] = [];
    // A continued answer cut while still thinking (no text yet) goes on inside its open thought.
    const ended = m.text.length > 0 || m !== messages.at(-1);
    if (m.reasoning) response.push({ type: "segment", segmentType: "thought", text: m.reasoning, ended });
    if (m.text) response.push(m.text);
    return { type: "model", response };
  });
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

/**
 * Whether answers' reasoning goes back to this model. A wrapper without thought segments would print a thought as
 * plain answer text: "strip". One that keeps past thoughts (node-llama-cpp reads that from the model's Jinja
 * template: `keepOnlyLastThought` false): "keep". Otherwise only the last response's thought is rendered (the
 * wrapper drops the others itself, and dropping them first keeps the token count true): "keep-last", which matters
 * only for an answer being continued.
 */
export function reasoningFor(chatWrapper: ChatWrapper): ReasoningChoice {
  if (chatWrapper.settings.segments?.thought == null) return "strip";
  const keepOnlyLast = (chatWrapper as ChatWrapper & { keepOnlyLastThought?: boolean }).keepOnlyLastThought;
  return keepOnlyLast === false ? "keep" : "keep-last";
}

/**
 * Counts a prompt exactly as LlamaChat evaluates it: the wrapper renders the history (template markup, BOS, the
 * opening of the answer) and the model's tokenizer tokenizes that text.
 */
export function llamaPromptCounter(chatWrapper: ChatWrapper, tokenizer: Tokenizer): PromptTokenCounter {
  return (messages) => {
    const { contextText } = chatWrapper.generateContextState({ chatHistory: toLlamaChatHistory(messages) });
    return contextText.tokenize(tokenizer).length;
  };
}
