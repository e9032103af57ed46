import { describe, expect, it } from "vitest";
import { withinJsonTokens } from "./json-shape.js";

const bytes = (text: string) => Buffer.from(text);

describe("withinJsonTokens", () => {
  it("counts brackets, commas and colons outside strings only", () => {
    expect(withinJsonTokens(bytes('{"a":[1,2]}'), 4)).toBe(true); // { : [ ,
    expect(withinJsonTokens(bytes('{"a":[1,2]}'), 3)).toBe(false);
    expect(withinJsonTokens(bytes(JSON.stringify({ text: "[[[[,,,,::::{{{{" })), 2)).toBe(true);
    expect(withinJsonTokens(bytes(JSON.stringify({ text: 'a "quoted" \\ [,]' })), 2)).toBe(true);
  });

  it("refuses deep nesting and long lists of tiny values, and passes a large real payload", () => {
    expect(withinJsonTokens(bytes("[".repeat(200_000)))).toBe(false);
    expect(withinJsonTokens(bytes(`[${"{},".repeat(200_000)}{}]`))).toBe(false);
    const payload = Array.from({ length: 2_000 }, (_, i) => ({ role: "user", content: `message ${i}, with [brackets]: {and} commas` }));
    expect(withinJsonTokens(bytes(JSON.stringify({ id: 1, method: "reviseEscalation", input: { conversationId: "c", proposalId: "p", payload } })))).toBe(true);
  });
});
