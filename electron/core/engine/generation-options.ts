import type { ChatModelFunctions, ChatWrapper, GbnfJsonSchema, Llama, LlamaGrammar, Tokenizer } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";
import { toLlamaChatHistory } from "../chat/context/llama-history.js";
import type { PromptTokenCounter } from "../chat/context/prompt-message.js";
import { chatFunctions, type EngineFunctions } from "./functions.js";
import { checkJsonSchema, type JsonSchema } from "./json-schema.js";

/** What a request may add to plain chat: functions to call, a JSON schema to write under, strings that stop it. */
export type GenerationShape = {
  functions?: EngineFunctions;
  functionCall?: "auto" | "required";
  jsonSchema?: JsonSchema;
  stop?: readonly string[];
};

/** The shape as node-llama-cpp's options, checked: a bad schema, name or stop string is INVALID_INPUT, never a crash. */
export type ResolvedShape = {
  functions: ChatModelFunctions | undefined;
  forceCall: boolean;
  grammar: LlamaGrammar | undefined;
  customStopTriggers: string[] | undefined;
};

export async function resolveShape(llama: Llama, shape: GenerationShape): Promise<ResolvedShape> {
  const hasFunctions = shape.functions != null && Object.keys(shape.functions).length > 0;
  if (hasFunctions && shape.jsonSchema != null) {
    // node-llama-cpp constrains a response with either a grammar or function calling, never both at once.
    throw new AppError("INVALID_INPUT", "A JSON schema for the answer cannot be combined with functions to call.");
  }
  if (shape.functionCall === "required" && !hasFunctions) {
    throw new AppError("INVALID_INPUT", "A function call was required, but no functions were given.");
  }
  const functions = hasFunctions ? chatFunctions(shape.functions!) : undefined;
  let grammar: LlamaGrammar | undefined;
  if (shape.jsonSchema != null) {
    const schema = checkJsonSchema(shape.jsonSchema);
    try {
      grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema);
    } catch (cause) {
      throw new AppError("INVALID_INPUT", "The JSON schema could not be turned into a grammar for the model.", { cause });
    }
  }
  return { functions, forceCall: shape.functionCall === "required" && functions != null, grammar, customStopTriggers: stopStrings(shape.stop) };
}

/** LlamaChat takes a grammar or functions, never both: one branch of its options. */
export function constraintOf(
  shape: ResolvedShape,
): { grammar: LlamaGrammar } | { functions: ChatModelFunctions; documentFunctionParams: true } | Record<never, never> {
  if (shape.grammar) return { grammar: shape.grammar };
  if (shape.functions) return { functions: shape.functions, documentFunctionParams: true };
  return {};
}

function stopStrings(stop: readonly string[] | undefined): string[] | undefined {
  if (stop == null || stop.length === 0) return undefined;
  if (stop.length > 16) throw new AppError("INVALID_INPUT", "At most 16 stop strings can be given.");
  for (const s of stop) {
    if (typeof s !== "string" || s.length === 0 || s.length > 256) {
      throw new AppError("INVALID_INPUT", "Each stop string must be text of 1 to 256 characters.");
    }
  }
  return [...stop];
}

/**
 * Counts a prompt as LlamaChat will render it with these functions offered: the wrapper documents them in the
 * system message, which the context builder must budget for like any other prompt text.
 */
export function promptCounter(chatWrapper: ChatWrapper, tokenizer: Tokenizer, functions: ChatModelFunctions | undefined): PromptTokenCounter {
  return (messages) => {
    const { contextText } = chatWrapper.generateContextState({
      chatHistory: toLlamaChatHistory(messages),
      ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
    });
    return contextText.tokenize(tokenizer).length;
  };
}
