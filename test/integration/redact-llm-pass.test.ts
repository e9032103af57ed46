import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../electron/core/engine/engine.js";
import { engineAsk, LocalModelCheck } from "../../electron/core/cloud/redact/llm-pass-engine.js";
import {
  LLM_PASS_TYPES,
  MAX_ITEMS,
  MAX_VALUE_CHARS,
  parseAnswer,
  runSecondPass,
  type AskModel,
} from "../../electron/core/cloud/redact/llm-pass.js";
import { createRedactor, emptyPlaceholderMap } from "../../electron/core/cloud/redact/redactor.js";
import { storiesModel, tinyLlamaModel } from "../fixtures/paths.js";

// The test models are tiny and untrained: their findings are gibberish, but every answer goes through the real
// grammar, sampler, context and lock, so the plumbing around the model is what is tested here.
const stories = { id: "stories", path: storiesModel, name: "stories260K" };
const tiny = { id: "tiny", path: tinyLlamaModel, name: "llama-2-tiny-random" };
const message = "Please call Anna Schmidt back about the locker code KX-77Q before Friday.";

describe("second redaction pass on the real engine", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  const run = (check: LocalModelCheck, texts = [message]) => check.run(texts, emptyPlaceholderMap(), createRedactor());

  it("does not run while the setting is off, and says so when no model is loaded", async () => {
    expect(await run(new LocalModelCheck({ engine, enabled: () => false }))).toBeNull();
    const result = await run(new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true }));
    expect(result?.summary.status).toBe("no-model");
    expect(result?.detectors).toEqual([]);
  });

  it("refuses a model under 1B parameters unless allowed", async () => {
    await engine.load(stories, 512);
    const result = await run(new LocalModelCheck({ engine, enabled: () => true }));
    expect(result?.summary.status).toBe("not-capable");
    expect(result?.summary.message).toMatch(/1B parameters/);
  });

  it("the grammar yields JSON matching the schema, and values absent from the text are ignored", async () => {
    await engine.load(tiny, 512);
    const ask = engineAsk({ engine, allowAnyModel: true });
    let raw = "";
    const recording: AskModel = async (input) => (raw = await ask(input));
    const result = await runSecondPass({ texts: [message], map: emptyPlaceholderMap(), firstPass: createRedactor(), ask: recording, timeoutMs: 120_000 });
    const parsed = JSON.parse(raw) as { items: Array<{ type: string; value: string }> };
    expect(Object.keys(parsed)).toEqual(["items"]);
    expect(parsed.items.length).toBeGreaterThan(0);
    expect(parsed.items.length).toBeLessThanOrEqual(MAX_ITEMS);
    for (const item of parsed.items) {
      expect(Object.keys(item).sort()).toEqual(["type", "value"]);
      expect(LLM_PASS_TYPES).toContain(item.type);
      expect(item.value.length).toBeLessThanOrEqual(MAX_VALUE_CHARS);
    }
    expect(parseAnswer(raw)).toHaveLength(parsed.items.length);

    // This untrained model names random strings: none is in the message, so nothing more is hidden.
    expect(parsed.items.some((item) => message.includes(item.value))).toBe(false);
    expect(result.summary.status).toBe("done");
    expect(result.summary.found).toBe(0);
    expect(result.summary.ignored).toBeGreaterThan(0);
    expect(result.detectors).toEqual([]);
  }, 150_000);

  /** A narrower grammar than the real one: the model can only name these values, in order (each item valid under the real schema). */
  const naming = (type: string, values: string[]) => ({
    type: "object" as const,
    properties: {
      items: {
        type: "array" as const,
        prefixItems: values.map((value) => ({ type: "object" as const, properties: { type: { const: type }, value: { const: value } } })),
        minItems: values.length,
        maxItems: values.length,
      },
    },
  });

  it("a value the model names (its grammar narrowed to it) is hidden, through the real grammar and engine", async () => {
    await engine.load(stories, 512);
    const check = new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true, schema: naming("SECRET", ["KX-77Q"]) });
    const result = await run(check);
    expect(result?.summary.status).toBe("done");
    expect(result?.summary.found).toBe(1);
    const redacted = createRedactor({ detectors: result!.detectors }).redact(message, emptyPlaceholderMap());
    expect(redacted.text).toContain("[SECRET_1]");
    expect(redacted.text).not.toContain("KX-77Q");
    expect(redacted.redactions.filter((r) => result!.foundByModel(r, message)).map((r) => r.original)).toEqual(["KX-77Q"]);
  }, 60_000);

  it("a hostile answer (most of the message, a placeholder) is ignored", async () => {
    await engine.load(stories, 512);
    const schema = naming("PERSON", [message.slice(0, 60), "[PERSON_1]"]);
    const result = await run(new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true, schema }));
    expect(result?.summary.status).toBe("done");
    expect(result?.summary.found).toBe(0);
    expect(result?.summary.ignored).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("on timeout the first pass stands with a notice, and the engine is free again right after", async () => {
    await engine.load(tiny, 512);
    const slow = await run(new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true, timeoutMs: 100 }));
    expect(slow?.summary.status).toBe("timeout");
    expect(slow?.summary.message).toMatch(/did not finish within 0.1 s/);
    expect(slow?.detectors).toEqual([]);
    // The aborted generation released the lock and disposed its context: a local answer still works.
    const answer = await engine.generate({
      model: tiny,
      conversationId: "c",
      contextSize: 512,
      prompt: { systemPrompt: "", branch: [{ id: "u", role: "user", content: "Hello", reasoning: "", status: "complete" }] },
      temperature: 0,
      maxOutputTokens: 4,
      signal: new AbortController().signal,
      onTextDelta: () => {},
      onReasoningDelta: () => {},
    });
    expect(answer.stats.outputTokens).toBeGreaterThan(0);
  }, 60_000);

  it("does not wait for a long local answer: out of time while the engine is busy, and it never starts after", async () => {
    await engine.load(tiny, 512);
    let generating = true;
    const busy = engine
      .generate({
        model: tiny,
        conversationId: "busy",
        contextSize: 512,
        prompt: { systemPrompt: "", branch: [{ id: "u", role: "user", content: "Tell me everything.", reasoning: "", status: "complete" }] },
        temperature: 0,
        maxOutputTokens: 400,
        signal: new AbortController().signal,
        onTextDelta: () => {},
        onReasoningDelta: () => {},
      })
      .finally(() => (generating = false));
    // Counts the contexts the check makes (an own property over the prototype's method, this model only).
    const model = engine.currentModel!;
    const createContext = model.createContext.bind(model);
    let made = 0;
    Object.defineProperty(model, "createContext", {
      configurable: true,
      value: (...args: Parameters<typeof createContext>) => {
        made++;
        return createContext(...args);
      },
    });
    const started = Date.now();
    const result = await run(new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true, timeoutMs: 150 }));
    expect(result?.summary.status).toBe("timeout");
    expect(generating).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    await busy;
    // The check's turn at the lock came after the answer; its signal had fired, so it returned at once.
    const after = Date.now();
    await engine.withLoadedModel(async () => undefined);
    expect(Date.now() - after).toBeLessThan(1_000);
    expect(made).toBe(0);
    Reflect.deleteProperty(model, "createContext");
  }, 120_000);

  it("a model error leaves the first pass standing and does not crash", async () => {
    await engine.load(stories, 512);
    // A model freed under the engine is a real native failure for the check's new context.
    await engine.currentModel!.dispose();
    const result = await run(new LocalModelCheck({ engine, enabled: () => true, allowAnyModel: true }));
    expect(result?.summary.status).toBe("failed");
    expect(result?.summary.message).toMatch(/only the first pass/);
    await engine.unload().catch(() => undefined);
  }, 60_000);
});
