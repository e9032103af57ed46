import { describe, expect, it } from "vitest";
import { providerAdapter } from "./providers/registry.js";
import { estimateCost, WireUsageReader } from "./wire-usage.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("WireUsageReader", () => {
  it("reads OpenAI's usage chunk across arbitrary chunk boundaries", () => {
    const stream = 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4}}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < stream.length; cut += 7) {
      const reader = new WireUsageReader(providerAdapter("openai"));
      reader.push(bytes(stream.slice(0, cut)));
      reader.push(bytes(stream.slice(cut)));
      reader.end();
      expect(reader.usage).toEqual({ input: 11, output: 4 });
    }
  });

  it("reads Anthropic's start and delta usage", () => {
    const reader = new WireUsageReader(providerAdapter("anthropic"));
    reader.push(bytes('event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":30,"cache_read_input_tokens":5,"output_tokens":1}}}\n\n'));
    reader.push(bytes('event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":42}}\n\n'));
    reader.end();
    expect(reader.usage).toEqual({ input: 35, output: 42 });
  });

  it("reads Gemini's cumulative usageMetadata with CRLF separators, thinking counted as output", () => {
    const reader = new WireUsageReader(providerAdapter("gemini"));
    reader.push(bytes('data: {"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2}}\r\n\r\n'));
    reader.push(bytes('data: {"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":6,"thoughtsTokenCount":10}}\r\n\r\n'));
    reader.end();
    expect(reader.usage).toEqual({ input: 9, output: 16 });
  });

  it("skips huge lines without buffering them and ignores garbage", () => {
    const reader = new WireUsageReader(providerAdapter("openai"));
    reader.push(bytes(`data: {"x":"${"a".repeat(200_000)}","usage":{"prompt_tokens":1}}\n`));
    reader.push(bytes("data: {not json usage\n"));
    reader.push(bytes('data: {"usage":{"prompt_tokens":3,"completion_tokens":2}}'));
    reader.end();
    expect(reader.usage).toEqual({ input: 3, output: 2 });
  });
});

describe("estimateCost", () => {
  it("prices per million tokens, and only when everything needed is known", () => {
    expect(estimateCost({ input: 1_000_000, output: 500_000 }, { inputPricePerMTok: 3, outputPricePerMTok: 15 })).toBe(10.5);
    expect(estimateCost({ input: 10, output: 0 }, { inputPricePerMTok: 1, outputPricePerMTok: null })).toBe(0.00001);
    expect(estimateCost({ input: 10, output: 5 }, { inputPricePerMTok: 1, outputPricePerMTok: null })).toBeNull();
    expect(estimateCost({ input: null, output: null }, { inputPricePerMTok: 1, outputPricePerMTok: 1 })).toBeNull();
    expect(estimateCost({ input: 10, output: 5 }, { inputPricePerMTok: null, outputPricePerMTok: null })).toBeNull();
  });
});
