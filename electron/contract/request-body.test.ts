import { describe, expect, it } from "vitest";
import { expandRequestBody, requestBodyOf, shareRequestBody } from "./request-body.js";
import type { PayloadMessage } from "./schemas.js";

const long = (s: string) => s.repeat(Math.ceil(80 / s.length));
const payload: PayloadMessage[] = [
  { role: "system", content: long("Quotes \" backslashes \\ tabs \t newlines \n and control \u0001 — 東京 ") },
  { role: "user", content: long("Same text twice. ") },
  { role: "assistant", content: long("Same text twice. ") },
  { role: "user", content: long("A lone surrogate \ud800 and an emoji 😀 ") },
  { role: "user", content: "short" },
];

describe("a request body that carries each message once", () => {
  const shapes = {
    openai: { model: "m", messages: payload, temperature: 0.5, stream: true },
    anthropic: { model: "m", system: payload[0]!.content, messages: payload.slice(1).map((m) => ({ role: m.role, content: [{ type: "text", text: m.content }] })) },
    gemini: { contents: payload.map((m) => ({ role: m.role, parts: [{ text: m.content }] })), generationConfig: { temperature: 0.5 } },
  };
  for (const [name, shape] of Object.entries(shapes)) {
    it(`${name}: the shared body is shorter and rebuilds byte for byte`, () => {
      const body = JSON.stringify(shape);
      const shared = shareRequestBody(body, payload);
      expect(shared.length).toBeLessThan(body.length - 200);
      expect(expandRequestBody(shared, payload)).toBe(body);
      expect(requestBodyOf({ requestBody: shared, payload })).toBe(body);
    });
  }

  it("leaves a body it cannot share losslessly, and a body without references, as it is", () => {
    const odd = `{"x":"${payload[1]!.content}"}\u0000`;
    expect(shareRequestBody(odd, payload)).toBe(odd);
    const plain = JSON.stringify({ messages: [{ content: "short" }] });
    expect(shareRequestBody(plain, payload)).toBe(plain);
    expect(expandRequestBody(plain, payload)).toBe(plain);
  });
});
