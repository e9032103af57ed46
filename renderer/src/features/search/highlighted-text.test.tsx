import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { highlightParts } from "./highlight-parts.js";
import { HighlightedText } from "./HighlightedText.js";

describe("a snippet with its hits", () => {
  it("marks exactly the ranges the core sent", () => {
    expect(highlightParts("the kettle and kettles", [{ start: 4, end: 10 }, { start: 15, end: 22 }])).toEqual([
      { text: "the ", hit: false },
      { text: "kettle", hit: true },
      { text: " and ", hit: false },
      { text: "kettles", hit: true },
    ]);
  });

  it("never loses text to bad ranges (out of bounds, overlapping, unordered, empty)", () => {
    const text = "abcdef";
    const parts = highlightParts(text, [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 5 }, { start: 3, end: 3 }]);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(["bc", "de", "f"]);
  });

  it("renders hits as <mark> and markup in a message as text, never as HTML", () => {
    const html = renderToStaticMarkup(
      <HighlightedText text={'<img src=x onerror="alert(1)"> kettle'} highlights={[{ start: 31, end: 37 }]} />,
    );
    expect(html).toBe("<span>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; </span><mark>kettle</mark>");
  });
});
