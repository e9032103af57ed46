import type { ServerResponse } from "node:http";
import { z } from "zod";
import { AppError } from "../../contract/index.js";
import { embedLimits, type EmbedResult } from "../engine/embed.js";
import type { ApiEngine, ApiModel } from "./api-engine.js";
import { badRequest, type ApiError } from "./api-error.js";
import type { ApiGate } from "./api-gate.js";
import { API_CONTEXT_SIZE, type CompletionOutcome } from "./chat-completion.js";

const tokenArray = z.array(z.number());

/**
 * `POST /v1/embeddings`: text input only (a string or an array of strings); token arrays, which only make sense
 * with OpenAI's own tokenizer, are refused naming `input`. `encoding_format` float or base64 (little-endian
 * float32, what the official clients ask for by default); `user` is accepted and ignored.
 */
export const embeddingRequestSchema = z.object({
  model: z.string().min(1).max(200),
  input: z.union([
    z.string().min(1, "must not be empty").max(embedLimits.maxTextChars),
    z
      .array(z.string().min(1, "must not be empty").max(embedLimits.maxTextChars))
      .min(1, "must not be empty")
      .max(embedLimits.maxTexts, `at most ${embedLimits.maxTexts} texts a request`),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().max(200).optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** The parsed request, or a 400 naming the field as OpenAI does. */
export function parseEmbeddingRequest(body: unknown): EmbeddingRequest | ApiError {
  const input = (body as { input?: unknown } | null)?.input;
  if (Array.isArray(input) && input.length > 0 && (tokenArray.safeParse(input).success || input.every((item) => tokenArray.safeParse(item).success))) {
    return badRequest("Token arrays are not supported as input here: send the text as a string or an array of strings.", "input", "invalid_value");
  }
  const parsed = embeddingRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.length ? issue.path.map((part) => (typeof part === "number" ? `[${part}]` : String(part))).join(".").replace(/\.\[/g, "[") : null;
  return badRequest(`Invalid value for ${param ?? "the request body"}: ${(issue?.message ?? "invalid").slice(0, 300)}`, param, "invalid_value");
}

type Deps = { engine: ApiEngine; gate: ApiGate; headers: Record<string, string> };

/**
 * The vectors of the request's texts from its model. It waits its turn at the API gate like a chat completion
 * (the app's own chats queue behind at most one API request); the engine runs it with the model to itself and a
 * context of its own, so the chats' caches stay warm.
 */
export async function runEmbeddings(
  deps: Deps,
  request: EmbeddingRequest,
  model: ApiModel,
  client: string,
  response: ServerResponse,
  signal: AbortSignal,
): Promise<CompletionOutcome> {
  const texts = typeof request.input === "string" ? [request.input] : request.input;
  const release = await deps.gate.acquire(client, signal);
  let result: EmbedResult;
  try {
    result = await deps.engine.embed(
      {
        model: { id: model.id, path: model.path, name: model.name },
        texts,
        contextSize: Math.min(API_CONTEXT_SIZE, model.trainContextLength ?? API_CONTEXT_SIZE),
      },
      signal,
    );
  } catch (error) {
    // The engine's refusals of the input (too long for the model) are about `input`.
    if (error instanceof AppError && error.code === "INVALID_INPUT") throw badRequest(error.message, "input", "invalid_value");
    throw error;
  } finally {
    release();
  }
  if (request.dimensions != null && request.dimensions !== result.dimensions) {
    throw badRequest(`${model.name} makes vectors of ${result.dimensions} dimensions; it cannot shorten them to ${request.dimensions}.`, "dimensions", "invalid_value");
  }
  const base64 = request.encoding_format === "base64";
  const body = {
    object: "list",
    data: result.vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
    })),
    model: model.id,
    usage: { prompt_tokens: result.tokens, total_tokens: result.tokens },
  };
  const outcome = { inputTokens: result.tokens, outputTokens: null };
  if (signal.aborted) return outcome;
  response.writeHead(200, { ...deps.headers, "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
  return outcome;
}
