import { describe, expect, it } from "vitest";
import { redactLines } from "./redact.js";

describe("npm run redact", () => {
  it("writes {id, redacted} for every input line, each its own conversation", () => {
    const input = [
      JSON.stringify({ id: "a", text: "Mail ana@ruiz.es", spans: [] }),
      "",
      JSON.stringify({ id: 7, text: "Mail bo@x.org" }),
    ].join("\n");
    const out = redactLines(input).trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(out).toEqual([
      { id: "a", redacted: "Mail [EMAIL_1]" },
      { id: 7, redacted: "Mail [EMAIL_1]" },
    ]);
  });

  it("refuses a line without text", () => {
    expect(() => redactLines(JSON.stringify({ id: "x" }))).toThrow(/text/);
  });
});
