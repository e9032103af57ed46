import { LlamaText, type ChatModelFunctions, type ChatWrapper, type ChatWrapperGeneratedContextState } from "node-llama-cpp";
import { AppError } from "../../contract/index.js";
import { checkJsonSchema, type JsonSchema } from "./json-schema.js";

/** A function the model may call: its name is the key; no handler, the caller runs it (an API client's tool). */
export type EngineFunction = { description?: string; params?: JsonSchema };
export type EngineFunctions = Readonly<Record<string, EngineFunction>>;
/** A call the model wrote, its params parsed under the function's schema. */
export type EngineFunctionCall = { name: string; params: unknown };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/**
 * The caller's functions as node-llama-cpp's, each schema checked (INVALID_INPUT naming the function otherwise).
 * Names are plain identifiers: the model writes them after the chat wrapper's call prefix and the name grammar
 * matches them exactly.
 */
export function chatFunctions(functions: EngineFunctions): ChatModelFunctions {
  const entries = Object.entries(functions);
  if (entries.length === 0) throw new AppError("INVALID_INPUT", "The list of functions is empty.");
  if (entries.length > 128) throw new AppError("INVALID_INPUT", "At most 128 functions can be offered to the model.");
  const out: Record<string, { description?: string; params?: ReturnType<typeof checkJsonSchema> }> = {};
  for (const [name, fn] of entries) {
    if (!NAME.test(name)) {
      throw new AppError("INVALID_INPUT", `The function name ${JSON.stringify(name.slice(0, 80))} is not valid: use letters, digits, "_", "." or "-" (at most 64).`);
    }
    if (fn.description !== undefined && typeof fn.description !== "string") {
      throw new AppError("INVALID_INPUT", `The description of the function ${name} must be text.`);
    }
    out[name] = {
      ...(fn.description ? { description: fn.description } : {}),
      ...(fn.params != null ? { params: checkJsonSchema(fn.params, `the parameters of ${name}`) } : {}),
    };
  }
  return out;
}

/**
 * The model's chat wrapper, made to start its answer with a function call (OpenAI's tool_choice "required"; a
 * named tool is the same with only that function offered). node-llama-cpp enters function-calling mode when the
 * context state says so: with prefix triggers (most wrappers) the "no trigger matched" action injects the call
 * prefix and the name grammar picks one of the functions; with an initially engaged call (the others) it starts
 * engaged and nothing can disengage it. The rendered prompt is the wrapper's own, unchanged.
 */
export function forcedCallWrapper(wrapper: ChatWrapper): ChatWrapper {
  const forced = Object.create(wrapper) as ChatWrapper;
  forced.generateContextState = (options) => {
    const state = wrapper.generateContextState(options);
    if (state.functionCall != null || state.ignoreStartText != null) {
      return { ...state, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } } as ChatWrapperGeneratedContextState;
    }
    return {
      ...state,
      prefixTriggers: state.prefixTriggers?.filter((trigger) => trigger.type === "functionCall"),
      noPrefixTrigger: { type: "functionCall", inject: LlamaText(wrapper.settings.functions.call.prefix) },
    } as ChatWrapperGeneratedContextState;
  };
  return forced;
}
