import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiCore, TEST_API_KEY, type ApiFixture } from "./api-server-fixture.js";

let api: ApiFixture;
let client: OpenAI;

beforeAll(async () => {
  api = await openApiCore();
  client = new OpenAI({ baseURL: api.baseURL, apiKey: TEST_API_KEY, maxRetries: 0, timeout: 60_000 });
});
afterAll(async () => {
  await api?.core.dispose();
});

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", maxLength: 20 }, days: { type: "integer", enum: [1, 2, 3] } },
      required: ["city", "days"],
      additionalProperties: false,
    },
  },
};

// stories260K knows no tools or JSON: what it writes is nonsense, but the grammar makes its shape exact.
describe("local API: tools and JSON output through the engine's functions and grammar", () => {
  it("a required tool call comes back as tool_calls whose arguments match the schema", async () => {
    const completion = await client.chat.completions.create({
      model: api.model.id,
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [weatherTool],
      tool_choice: "required",
      max_tokens: 60,
      temperature: 0,
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    const calls = choice.message.tool_calls!;
    expect(calls.length).toBeGreaterThanOrEqual(1);
    const call = calls[0]!;
    expect(call.type).toBe("function");
    expect(call.id).toMatch(/^call_/);
    if (call.type !== "function") throw new Error("not a function call");
    expect(call.function.name).toBe("get_weather");
    const args = JSON.parse(call.function.arguments) as { city: unknown; days: unknown };
    expect(typeof args.city).toBe("string");
    expect([1, 2, 3]).toContain(args.days);
  });

  it("streams a named tool call as a tool_calls delta", async () => {
    const stream = await client.chat.completions.create({
      model: api.model.id,
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool, { type: "function", function: { name: "noop", parameters: { type: "object", properties: {} } } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      max_tokens: 60,
      stream: true,
    });
    const names: string[] = [];
    let args = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.function?.name) names.push(call.function.name);
        args += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(names).toEqual(["get_weather"]);
    expect(Object.keys(JSON.parse(args) as object).sort()).toEqual(["city", "days"]);
    expect(finish).toBe("tool_calls");
  });

  it("reads tool results back as a turn and answers in text", async () => {
    const completion = await client.chat.completions.create({
      model: api.model.id,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","days":1}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "Sunny, 21 C" },
      ],
      tools: [weatherTool],
      tool_choice: "none",
      max_tokens: 10,
    });
    expect(completion.choices[0]!.finish_reason).toBe("length");
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it("response_format json_schema: the answer parses and matches the schema", async () => {
    const completion = await client.chat.completions.create({
      model: api.model.id,
      messages: [{ role: "user", content: "Describe a cat." }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "cat",
          strict: true,
          schema: {
            type: "object",
            properties: { name: { type: "string", maxLength: 12 }, legs: { type: "integer" }, happy: { type: "boolean" } },
            required: ["name", "legs", "happy"],
            additionalProperties: false,
          },
        },
      },
      max_tokens: 80,
      temperature: 0,
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(["happy", "legs", "name"]);
    expect(typeof parsed.name).toBe("string");
    expect(Number.isInteger(parsed.legs)).toBe(true);
    expect(typeof parsed.happy).toBe("boolean");
  });

  it("response_format json_object gives a JSON object", async () => {
    const completion = await client.chat.completions.create({
      model: api.model.id,
      messages: [{ role: "user", content: "JSON please" }],
      response_format: { type: "json_object" },
      max_tokens: 60,
      temperature: 0,
    });
    const text = completion.choices[0]!.message.content!;
    if (completion.choices[0]!.finish_reason === "stop") expect(typeof JSON.parse(text)).toBe("object");
    else expect(text.trimStart().startsWith("{")).toBe(true);
  });

  it("refuses a schema the grammar cannot enforce, and tool_choice without tools, with 400 and the param", async () => {
    const bad = (await client.chat.completions
      .create({
        model: api.model.id,
        messages: [{ role: "user", content: "x" }],
        response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "string", pattern: "^a+$" } } },
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.param).toBe("response_format.json_schema.schema");
    const noTools = (await client.chat.completions
      .create({ model: api.model.id, messages: [{ role: "user", content: "x" }], tool_choice: "required" })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(noTools.status).toBe(400);
    expect(noTools.param).toBe("tool_choice");
  });
});
