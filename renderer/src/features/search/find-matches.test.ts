import { describe, expect, it } from "vitest";
import { findMatches, MAX_FIND_CHARS, occurrenceInMessage, stepMatch } from "./find-matches.js";

const messages = [
  { id: "m1", content: "The Fox and the fox" },
  { id: "m2", content: "no animals here" },
  { id: "m3", content: "FOXES everywhere, fox!" },
];

describe("find in conversation", () => {
  it("finds every occurrence, case-insensitive, in message order", () => {
    expect(findMatches(messages, "fox")).toEqual([
      { messageId: "m1", start: 4, end: 7 },
      { messageId: "m1", start: 16, end: 19 },
      { messageId: "m3", start: 0, end: 3 },
      { messageId: "m3", start: 18, end: 21 },
    ]);
    expect(findMatches(messages, "aaa")).toEqual([]);
    expect(findMatches([{ id: "x", content: "aaaa" }], "aa")).toHaveLength(2);
  });

  it("takes regular-expression and markup characters as text, and an empty query finds nothing", () => {
    const tricky = [{ id: "t", content: "a.*b (c) <b>d</b> $1" }];
    expect(findMatches(tricky, ".*")).toEqual([{ messageId: "t", start: 1, end: 3 }]);
    expect(findMatches(tricky, "<b>")).toEqual([{ messageId: "t", start: 9, end: 12 }]);
    expect(findMatches(tricky, "")).toEqual([]);
    expect(findMatches(tricky, "   ")).toEqual([]);
    // A huge paste is cut to the longest text find looks for.
    expect(findMatches([{ id: "l", content: "x".repeat(MAX_FIND_CHARS) }], "x".repeat(MAX_FIND_CHARS * 4))).toHaveLength(1);
  });

  it("steps to the next and previous match, wrapping at both ends", () => {
    expect(stepMatch(0, 4, 1)).toBe(1);
    expect(stepMatch(3, 4, 1)).toBe(0);
    expect(stepMatch(0, 4, -1)).toBe(3);
    expect(stepMatch(0, 0, 1)).toBe(0);
  });

  it("knows which occurrence in its own message a match is", () => {
    const matches = findMatches(messages, "fox");
    expect(matches.map((_, i) => occurrenceInMessage(matches, i))).toEqual([0, 1, 0, 1]);
  });
});
