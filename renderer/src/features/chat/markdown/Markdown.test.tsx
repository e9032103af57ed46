import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./Markdown.js";
import { safeHttpUrl } from "./safe-url.js";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} onOpenLink={() => {}} />);

describe("Markdown safety", () => {
  it("never renders an <img>, from HTML or from Markdown", () => {
    const html = render('Look: <img src="http://example.com/a.png"> and ![cat](http://example.com/cat.png)');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("[image: cat]");
  });

  it("drops raw HTML: no script, iframe, style or event handler", () => {
    const html = render(
      '<script>alert(1)</script>\n\n<iframe src="http://x"></iframe>\n\n<b onclick="alert(1)">bold</b>\n\n<style>body{}</style>',
    );
    expect(html).not.toMatch(/<script|<iframe|<style|onclick|<b>/i);
  });

  it("makes javascript:, data: and relative links inert", () => {
    const html = render("[a](javascript:alert(1)) [b](data:text/html,hi) [c](/etc/passwd) [d](file:///etc/passwd)");
    expect(html).not.toMatch(/<a /);
    expect(html).not.toMatch(/javascript:|data:text|file:/);
  });

  it("keeps http(s) links as links that do not navigate on their own", () => {
    const html = render("[site](https://example.com/page) and https://example.org");
    expect(html).toContain('href="https://example.com/page"');
    expect(html).toContain('href="https://example.org/"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it("renders code blocks with a language label and a Copy button", () => {
    const html = render("```js\nconst x = 1;\n```");
    expect(html).toContain('class="code-block-language">js<');
    expect(html).toContain(">Copy</button>");
    expect(html).toContain("hljs");
  });

  it("renders GFM tables and strikethrough", () => {
    const html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~");
    expect(html).toContain("<table>");
    expect(html).toContain("<del>old</del>");
  });

  it("accepts only absolute http(s) URLs", () => {
    expect(safeHttpUrl("https://example.com")).toBe("https://example.com/");
    expect(safeHttpUrl("http://127.0.0.1:8080/x")).toBe("http://127.0.0.1:8080/x");
    expect(safeHttpUrl("JavaScript:alert(1)")).toBeNull();
    expect(safeHttpUrl("//example.com")).toBeNull();
    expect(safeHttpUrl("")).toBeNull();
    expect(safeHttpUrl(undefined)).toBeNull();
  });
});
