import { LlamaChatSession, type GbnfJsonSchema } from "node-llama-cpp";
import type { Engine } from "../../engine/engine.js";
import type { EnginePort, LocalCheckRequest } from "../../engine-host/engine-port.js";
import {
  DEFAULT_TIMEOUT_MS,
  llmPassPrompt,
  llmPassSchema,
  runSecondPass,
  SecondPassUnavailable,
  type AskModel,
  type SecondPassResult,
} from "./llm-pass.js";
import type { PlaceholderMap, Redactor } from "./redactor.js";

/** Smaller models name words at random; the check is offered from this size up. */
export const MIN_CAPABLE_PARAMETERS = 1e9;
/** Room for 16 items of 64 characters with JSON around them, in a real model's tokens (a tiny test model's too). */
const MAX_ANSWER_TOKENS = 1600;
const MAX_CONTEXT = 8192;

export type LocalModelCheckOptions = {
  /** The core's engine port (the job runs by name where the model is), or an Engine in this process (tests, scripts). */
  engine: Pick<EnginePort, "localCheck"> | Pick<Engine, "withLoadedModel">;
  /** The setting "Second check by the local model" (off by default). */
  enabled: () => boolean;
  /** Lets a model below 1B parameters run the check (tests with the tiny models; a user's override). */
  allowAnyModel?: boolean;
  timeoutMs?: number;
  /**
   * A narrower grammar than the check's own (tests: every answer it allows is also one the real schema allows, so
   * a tiny untrained model can be made to name a known value through the real engine).
   */
  schema?: GbnfJsonSchema;
};

/**
 * The second pass's job, run where the engine's native objects are (the engine host process, or this process in
 * tests): a fresh context and chat session on the loaded model, the JSON-schema grammar, greedy sampling, the
 * caller's AbortSignal (time budget) honoured while waiting for the engine's lock and while generating; the context
 * is disposed on every path. Null when no model is loaded.
 */
export function askLoadedModel(engine: Pick<Engine, "withLoadedModel">, request: LocalCheckRequest, signal?: AbortSignal): Promise<string | null> {
  const { systemPrompt, text } = request;
  return engine.withLoadedModel(async ({ model, llama, threads, ref }) => {
    const parameters = model.fileInsights.totalParameters;
    if (!request.allowAnyModel && parameters < MIN_CAPABLE_PARAMETERS) {
      throw new SecondPassUnavailable(
        "not-capable",
        `The second check needs a local model of 1B parameters or more; ${ref.name} is smaller, so only the first pass hid values.`,
      );
    }
    // A test's narrower schema is typed as the real one: the answer is parsed as untrusted JSON either way (parseAnswer).
    const grammar = await llama.createGrammarForJsonSchema((request.schema ?? llmPassSchema) as typeof llmPassSchema);
    const trainContext = model.trainContextSize;
    const answerTokens = Math.min(MAX_ANSWER_TOKENS, Math.floor(trainContext / 2));
    const budget = Math.min(trainContext, MAX_CONTEXT);
    // The chat template and the system prompt need room too; the oldest text gives way first.
    const systemTokens = model.tokenize(systemPrompt).length;
    const room = Math.max(64, budget - answerTokens - systemTokens - 128);
    const tokens = model.tokenize(text);
    const fitted = tokens.length > room ? model.detokenize(tokens.slice(tokens.length - room)) : text;
    // Only as large as this check needs: a second context's memory comes on top of the conversation's.
    const contextSize = Math.min(budget, Math.min(tokens.length, room) + systemTokens + answerTokens + 256);
    const context = await model.createContext({ contextSize, sequences: 1, threads });
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt });
    try {
      return await session.prompt(llmPassPrompt(fitted), {
        grammar,
        signal,
        temperature: 0,
        maxTokens: answerTokens,
        // A reasoning model would spend the time budget thinking; the answer is a short list.
        budgets: { thoughtTokens: 0 },
      });
    } finally {
      session.dispose({ disposeSequence: true });
      await context.dispose();
    }
  }, signal);
}

/** The ask of the second pass through the engine port: the job runs by name where the model is. */
export function engineAsk(options: Pick<LocalModelCheckOptions, "engine" | "allowAnyModel" | "schema">): AskModel {
  return async ({ systemPrompt, text, signal }) => {
    const request: LocalCheckRequest = {
      systemPrompt,
      text,
      ...(options.allowAnyModel ? { allowAnyModel: true } : {}),
      ...(options.schema ? { schema: options.schema } : {}),
    };
    const { engine } = options;
    const answer = "localCheck" in engine ? await engine.localCheck(request, signal) : await askLoadedModel(engine, request, signal);
    if (answer === null) {
      throw new SecondPassUnavailable("no-model", "The second check did not run: no local model is loaded. Only the first pass hid values.");
    }
    return answer;
  };
}

/** The second pass as escalation uses it: null while the setting is off. */
export class LocalModelCheck {
  private readonly ask: AskModel;

  constructor(private readonly options: LocalModelCheckOptions) {
    this.ask = engineAsk(options);
  }

  /** `read`: which texts the model reads (those that have not left yet); its finds are hidden in all of them. */
  async run(texts: readonly string[], map: PlaceholderMap, firstPass: Redactor, read?: readonly boolean[]): Promise<SecondPassResult | null> {
    if (!this.options.enabled()) return null;
    return runSecondPass({ texts, map, firstPass, read, ask: this.ask, timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }
}
