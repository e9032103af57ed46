import { randomBytes } from "node:crypto";
import { AppError } from "../../contract/index.js";
import type { EngineFunctions } from "../engine/functions.js";
import type { GenerateRequest, GenerateResult } from "../engine/engine.js";
import { checkJsonSchema, type JsonSchema } from "../engine/json-schema.js";
import { badRequest } from "./api-error.js";
import type { ChatCompletionRequest } from "./chat-request.js";

export type ApiToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

type StructuredFields = Pick<GenerateRequest, "functions" | "functionCall" | "jsonSchema">;

/**
 * `tools`/`tool_choice` as the engine's functions (node-llama-cpp's function calling with the model's own chat
 * wrapper), and `response_format` as its JSON-schema grammar. Schemas are checked here, so a bad one is a 400
 * naming the field rather than a failure halfway through the answer.
 */
export function structuredFieldsOf(request: ChatCompletionRequest): StructuredFields {
  const fields: StructuredFields = {};
  const choice = request.tool_choice ?? "auto";
  const tools = request.tools ?? [];
  if (tools.length > 0 && choice !== "none") {
    const offered = typeof choice === "object" ? tools.filter((tool) => tool.function.name === choice.function.name) : tools;
    if (typeof choice === "object" && offered.length === 0) {
      throw badRequest(`tool_choice names ${JSON.stringify(choice.function.name)}, which is not one of the tools.`, "tool_choice", "invalid_value");
    }
    const functions: Record<string, { description?: string; params?: JsonSchema }> = {};
    offered.forEach((tool, index) => {
      const params = tool.function.parameters;
      functions[tool.function.name] = {
        ...(tool.function.description ? { description: tool.function.description } : {}),
        ...(params && Object.keys(params).length > 0 ? { params: checked(params, `tools[${index}].function.parameters`) } : {}),
      };
    });
    fields.functions = functions satisfies EngineFunctions;
    fields.functionCall = choice === "auto" ? "auto" : "required";
  } else if (typeof choice === "object" || choice === "required") {
    throw badRequest("tool_choice needs tools to choose from.", "tool_choice", "invalid_value");
  }
  const format = request.response_format;
  if (format && format.type !== "text") {
    if (fields.functions) {
      throw badRequest("response_format cannot be combined with tools: the answer is either a tool call or JSON.", "response_format", "invalid_value");
    }
    fields.jsonSchema =
      format.type === "json_object" || !format.json_schema.schema
        ? { type: "object", additionalProperties: true }
        : checked(format.json_schema.schema, "response_format.json_schema.schema");
  }
  return fields;
}

function checked(input: JsonSchema, param: string): JsonSchema {
  const schema = withoutVacuousBounds(input) as JsonSchema;
  try {
    checkJsonSchema(schema);
    return schema;
  } catch (error) {
    if (error instanceof AppError) throw badRequest(error.message, param, "invalid_value");
    throw error;
  }
}

/** The model's calls as OpenAI's tool_calls; the arguments are a JSON string, as clients expect. */
export function toolCallsOf(result: GenerateResult): ApiToolCall[] {
  return (result.functionCalls ?? []).map((call) => ({
    id: `call_${randomBytes(12).toString("hex")}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.params ?? {}) },
  }));
}

/**
 * Zod's `.int()` (used by the AI SDK and many clients) writes the safe-integer range as `minimum`/`maximum`: bounds
 * that exclude nothing a model would write. They are dropped, so such schemas work; any other bound still reaches
 * the checker, which refuses what the grammar cannot enforce.
 */
function withoutVacuousBounds(node: unknown, depth = 0): unknown {
  if (depth > 64 || node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((item) => withoutVacuousBounds(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "minimum" && typeof value === "number" && value <= Number.MIN_SAFE_INTEGER) continue;
    if (key === "maximum" && typeof value === "number" && value >= Number.MAX_SAFE_INTEGER) continue;
    out[key] = withoutVacuousBounds(value, depth + 1);
  }
  return out;
}
