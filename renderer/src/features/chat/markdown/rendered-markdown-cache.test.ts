import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { RenderedMarkdownCache } from "./rendered-markdown-cache.js";

const counting = () => {
  let calls = 0;
  return { render: (text: string) => () => (calls++, createElement("p", null, text)), calls: () => calls };
};
const openLink = () => {};

describe("RenderedMarkdownCache: a finished message's markdown is parsed once", () => {
  it("renders a text once however often it is shown again", () => {
    const cache = new RenderedMarkdownCache();
    const { render, calls } = counting();
    const first = cache.get("**bold**", openLink, render("**bold**"));
    const again = cache.get("**bold**", openLink, render("**bold**"));
    expect(again).toBe(first);
    expect(calls()).toBe(1);
  });

  it("renders again for another link handler (the elements hold it)", () => {
    const cache = new RenderedMarkdownCache();
    const { render, calls } = counting();
    cache.get("[a](https://example.org)", openLink, render("a"));
    cache.get("[a](https://example.org)", () => {}, render("a"));
    expect(calls()).toBe(2);
  });

  it("keeps at most its bound, dropping the least recently shown first", () => {
    const cache = new RenderedMarkdownCache(2);
    const { render, calls } = counting();
    cache.get("one", openLink, render("one"));
    cache.get("two", openLink, render("two"));
    cache.get("one", openLink, render("one"));
    cache.get("three", openLink, render("three"));
    expect(cache.size).toBe(2);
    cache.get("one", openLink, render("one"));
    expect(calls()).toBe(3);
    cache.get("two", openLink, render("two"));
    expect(calls()).toBe(4);
  });
});
