import { z } from "zod";
import { MAX_MESSAGE_CHARS } from "../../contract/index.js";
import { badRequest, type ApiError } from "./api-error.js";

const MAX_MESSAGES = 1_000;
/** The whole prompt; the body cap bounds it too, this says so in words. */
const MAX_CONTENT_CHARS = MAX_MESSAGE_CHARS;

const textPartSchema = z.object({ type: z.literal("text"), text: z.string().max(MAX_CONTENT_CHARS) });
const contentSchema = z.union([z.string().max(MAX_CONTENT_CHARS), z.array(textPartSchema).max(100), z.null()]);

const toolCallSchema = z.object({
  id: z.string().max(200),
  type: z.literal("function"),
  function: z.object({ name: z.string().max(200), arguments: z.string().max(MAX_CONTENT_CHARS) }),
});

const messageSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: contentSchema }),
  z.object({ role: z.literal("developer"), content: contentSchema }),
  z.object({ role: z.literal("user"), content: contentSchema, name: z.string().max(200).optional() }),
  z.object({ role: z.literal("assistant"), content: contentSchema.optional(), tool_calls: z.array(toolCallSchema).max(128).optional() }),
  z.object({ role: z.literal("tool"), content: contentSchema, tool_call_id: z.string().max(200) }),
]);
export type ApiMessage = z.infer<typeof messageSchema>;

/** A JSON schema as a client sends it; its shape is checked by the grammar that compiles it. */
const jsonSchemaSchema = z.record(z.string(), z.unknown());

const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/, "letters, digits, _ and - only"),
    description: z.string().max(4_000).optional(),
    parameters: jsonSchemaSchema.optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export type ApiTool = z.infer<typeof toolSchema>;

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().max(64) }) }),
]);

const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().max(64),
      description: z.string().max(4_000).optional(),
      schema: jsonSchemaSchema.optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);
export type ApiResponseFormat = z.infer<typeof responseFormatSchema>;

/**
 * `POST /v1/chat/completions` as this server understands it. Fields OpenAI defines that change nothing here
 * (user, metadata, store, logprobs false...) are accepted and ignored, as other local servers do; fields whose
 * meaning it cannot honour (n > 1) are refused with their `param`.
 */
export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1).max(200),
  messages: z.array(messageSchema).min(1).max(MAX_MESSAGES),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().min(1).max(1_048_576).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).max(1_048_576).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(4)]).nullable().optional(),
  n: z.literal(1).nullable().optional(),
  tools: z.array(toolSchema).max(128).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** The parsed request, or a 400 naming the first bad field as OpenAI does (`messages[0].role`). */
export function parseChatRequest(body: unknown): ChatCompletionRequest | ApiError {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue ? paramOf(issue.path) : null;
  const message = `Invalid value for ${param ?? "the request body"}: ${(issue?.message ?? "invalid").slice(0, 300)}`;
  return badRequest(message, param, "invalid_value");
}

function paramOf(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  let out = "";
  for (const part of path.slice(0, 8)) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

export function textOf(content: ApiMessage["content"] | undefined): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("");
}

/** What the answer may be: the stop strings, the output cap, sampling. */
export function stopsOf(request: ChatCompletionRequest): string[] {
  if (request.stop == null) return [];
  return typeof request.stop === "string" ? [request.stop] : request.stop;
}

export function maxTokensOf(request: ChatCompletionRequest): number | null {
  return request.max_completion_tokens ?? request.max_tokens ?? null;
}
