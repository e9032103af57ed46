import { describe, expect, it } from "vitest";
import { findMatches } from "./find-matches.js";
import { findInSegments, type TextSegment } from "./text-ranges.js";
import { visibleMarkdownText } from "./visible-text.js";

const answer = (content: string) => [{ id: "a", content, markdown: true }];
const count = (content: string, query: string) => findMatches(answer(content), query).length;

describe("find in conversation matches text as it reads, across formatting", () => {
  it("finds words split by emphasis, inline code, links and strikethrough", () => {
    expect(count("This is a very **bold** word.", "very bold word")).toBe(1);
    expect(count("Some *very* _light_ ***strong*** text", "very light strong text")).toBe(1);
    expect(count("Run `npm test` now", "run npm test now")).toBe(1);
    expect(count("See [the docs](https://example.com/x) here", "see the docs here")).toBe(1);
    expect(count("An ~~old~~ new thing", "old new")).toBe(1);
    expect(count("A __bold__ and <b>raw</b> tag", "a bold and raw tag")).toBe(1);
    // The syntax itself is not what the reader sees.
    expect(count("See [the docs](https://example.com/x)", "example.com")).toBe(0);
    expect(count("very **bold** word", "**bold**")).toBe(0);
  });

  it("reads line breaks in a paragraph, headings, quotes, lists and tables as the page shows them", () => {
    expect(count("first line\nsecond line", "line second")).toBe(1);
    expect(count("# Title here\n\nbody", "title here body")).toBe(1);
    expect(count("> quoted **text**", "quoted text")).toBe(1);
    expect(count("- [x] done item\n1. next one", "done item next one")).toBe(1);
    expect(count("| a | b |\n|---|---|\n| **cell** one | two |", "cell one two")).toBe(1);
  });

  it("leaves what is not syntax alone: lone stars, snake_case, escapes and code", () => {
    expect(count("2 * 3 * 4 = 24", "2 * 3")).toBe(1);
    expect(count("a.*b (c)", ".*b")).toBe(1);
    expect(count("call my_function_name()", "my_function_name")).toBe(1);
    expect(count("literal \\*stars\\* here", "*stars*")).toBe(1);
    expect(count("```js\nconst **x** = 1;\n```", "const **x** = 1")).toBe(1);
    expect(count("use `a\\*b` here", "a\\*b")).toBe(1);
    expect(visibleMarkdownText("![alt text](img.png) and [link][ref]")).toBe("alt text and link");
  });

  it("searches a user's message as typed (it is not Markdown)", () => {
    expect(findMatches([{ id: "u", content: "very **bold** word" }], "**bold**")).toHaveLength(1);
    expect(findMatches([{ id: "u", content: "very **bold** word" }], "very bold word")).toHaveLength(0);
  });
});

describe("painting a match that crosses elements", () => {
  // "This is a very <strong>bold</strong> word." then a new paragraph.
  const segments: TextSegment[] = [
    { text: "This is a very ", block: true },
    { text: "bold", block: false },
    { text: " word.", block: false },
    { text: "\n", block: true },
    { text: "Next   paragraph", block: true },
  ];

  it("spans the text nodes it runs through", () => {
    expect(findInSegments(segments, "very bold word")).toEqual([{ start: [0, 10], end: [2, 5] }]);
    expect(findInSegments(segments, "BOLD")).toEqual([{ start: [1, 0], end: [1, 4] }]);
  });

  it("reads a block boundary and a run of spaces as one space, and finds nothing for an empty query", () => {
    expect(findInSegments(segments, "word. next paragraph")).toEqual([{ start: [2, 1], end: [4, 16] }]);
    expect(findInSegments([{ text: "a", block: true }, { text: "b", block: true }], "a b")).toHaveLength(1);
    expect(findInSegments([{ text: "a", block: true }, { text: "b", block: false }], "ab")).toHaveLength(1);
    expect(findInSegments(segments, "  ")).toEqual([]);
  });
});
