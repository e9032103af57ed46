import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, type EnginePart, type GenerateRequest, type PromptSource, type StreamRequest } from "../../electron/core/engine/engine.js";
import { engineRequest } from "../fixtures/engine-request.js";

function prompt(text: string): PromptSource {
  return { systemPrompt: "You tell short stories.", branch: [{ id: "u1", role: "user", content: text, reasoning: "", status: "complete" }] };
}

function request(conversationId: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return engineRequest(prompt("Once upon a time there was a little cat"), { conversationId, ...overrides });
}

function streamRequest(conversationId: string, overrides: Partial<StreamRequest> = {}): StreamRequest {
  const { onTextDelta: _t, onReasoningDelta: _r, ...rest } = request(conversationId);
  return { ...rest, ...overrides };
}

async function collect(parts: AsyncIterable<EnginePart>): Promise<EnginePart[]> {
  const out: EnginePart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe("engine generation API: stream, concurrency, plugins", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it("stream yields the same text as generate, as parts, ending with the finish and its stats", async () => {
    const generated = await engine.generate(request("s-gen", { maxOutputTokens: 30 }));
    const parts = await collect(engine.stream(streamRequest("s-stream", { maxOutputTokens: 30 })));
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish") throw new Error("no finish");
    const texts = parts.flatMap((p) => (p.type === "text" ? [p.text] : []));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe(finish.result.text);
    expect(finish.result.text).toBe(generated.text);
    expect(finish.result.stats.outputTokens).toBe(generated.stats.outputTokens);
    expect(finish.result.stats.evaluatedInputTokens).toBe(generated.stats.evaluatedInputTokens);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
  });

  it("stream yields tool-call parts for the calls the model made", async () => {
    const parts = await collect(
      engine.stream(
        streamRequest("s-tools", {
          contextSize: 2048,
          maxOutputTokens: 80,
          functions: { getTime: { description: "Tells the time" }, getDay: { description: "Tells the day", params: { type: "object", properties: { long: { type: "boolean" } } } } },
          functionCall: "required",
        }),
      ),
    );
    const calls = parts.filter((p) => p.type === "tool-call");
    const finish = parts.at(-1);
    expect(finish?.type === "finish" && finish.result.stopReason).toBe("functionCalls");
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.map((c) => c.type === "tool-call" && c.name)).toEqual(finish?.type === "finish" ? finish.result.functionCalls?.map((c) => c.name) : []);
  });

  it("a failure is thrown by the iteration; leaving the loop early stops the generation", async () => {
    await expect(collect(engine.stream(streamRequest("s-bad", { jsonSchema: { type: "nope" } })))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    let seen = 0;
    for await (const part of engine.stream(streamRequest("s-early", { maxOutputTokens: 400 }))) {
      if (part.type === "text") seen += 1;
      if (seen === 2) break;
    }
    // The stopped generation released its sequence: the same key is served again at once.
    const next = await engine.generate(request("s-early", { maxOutputTokens: 3 }));
    expect(next.stats.outputTokens).toBeGreaterThan(0);
    const aborted = new AbortController();
    aborted.abort();
    await expect(collect(engine.stream(streamRequest("s-abort", { signal: aborted.signal })))).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("two generations on distinct conversations run at once, each as it would alone", async () => {
    const alone = {
      a: await engine.generate(request("solo-a", { maxOutputTokens: 60 })),
      b: await engine.generate(engineRequest(prompt("A dog found a red ball"), { conversationId: "solo-b", maxOutputTokens: 60 })),
    };
    const log: string[] = [];
    const tracked = (name: string, r: GenerateRequest): GenerateRequest => ({
      ...r,
      onStart: () => log.push(`start ${name}`),
      onTextDelta: () => {
        if (!log.includes(`first ${name}`)) log.push(`first ${name}`);
      },
    });
    const [a, b] = await Promise.all([
      engine.generate(tracked("a", request("par-a", { maxOutputTokens: 60 }))).then((r) => (log.push("end a"), r)),
      engine.generate(tracked("b", engineRequest(prompt("A dog found a red ball"), { conversationId: "par-b", maxOutputTokens: 60 }))).then(
        (r) => (log.push("end b"), r),
      ),
    ]);
    // Both wrote before either finished: they shared the context's batches instead of taking turns.
    expect(log.indexOf("first a")).toBeLessThan(log.indexOf("end b"));
    expect(log.indexOf("first b")).toBeLessThan(log.indexOf("end a"));
    expect(a.stats.outputTokens).toBe(alone.a.stats.outputTokens);
    expect(b.stats.outputTokens).toBe(alone.b.stats.outputTokens);
    expect(a.text).toBe(alone.a.text);
    expect(b.text).toBe(alone.b.text);
  });

  it("the same conversation twice at once takes turns on its one sequence; an unload waits for running answers", async () => {
    const log: string[] = [];
    const first = engine.generate(request("same", { maxOutputTokens: 40, onStart: () => log.push("start 1") })).then(() => log.push("end 1"));
    const second = engine.generate(request("same", { maxOutputTokens: 40, onStart: () => log.push("start 2") })).then(() => log.push("end 2"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const unloaded = engine.unload().then(() => log.push("unloaded"));
    await Promise.all([first, second, unloaded]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2", "unloaded"]);
    expect(engine.loadedModelId).toBeNull();
  });

  it("confidences are an opt-in plugin: without it the sequence's evaluate is never replaced", async () => {
    let ownEvaluateDuringPlain: boolean | null = null;
    const plain = await engine.generate(
      request("conf", {
        onTextDelta: () => {
          ownEvaluateDuringPlain ??= Object.hasOwn(engine.currentSequence!, "evaluate");
        },
      }),
    );
    expect(ownEvaluateDuringPlain).toBe(false);
    expect(plain.confidences).toBeUndefined();
    let ownEvaluateDuringPlugin: boolean | null = null;
    const withPlugin = await engine.generate(
      request("conf2", {
        collectConfidence: true,
        onTextDelta: () => {
          ownEvaluateDuringPlugin ??= Object.hasOwn(engine.currentSequence!, "evaluate");
        },
      }),
    );
    expect(ownEvaluateDuringPlugin).toBe(true);
    expect(Object.hasOwn(engine.currentSequence!, "evaluate")).toBe(false); // removed when it ended
    expect(withPlugin.confidences).toHaveLength(withPlugin.stats.outputTokens);
    expect(withPlugin.text).toBe(plain.text);
  });
});
