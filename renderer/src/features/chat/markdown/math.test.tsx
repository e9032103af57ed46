import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./Markdown.js";

const render = (text: string, finished = false) => renderToStaticMarkup(<Markdown text={text} onOpenLink={() => {}} finished={finished} />);

describe("math in answers", () => {
  it("typesets $…$ inline and $$…$$ as a block, with MathML for screen readers", () => {
    const html = render("Euler: $e^{i\\pi} + 1 = 0$.\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n");
    expect(html).toMatch(/<span class="katex">/);
    expect(html).toContain('class="katex-display"');
    expect(html).toContain("<math");
    expect(html).toContain("<mfrac>");
    // Math is not code: no code block (with its Copy button) around the formula.
    expect(html).not.toMatch(/<pre|<code/);
    expect(render("Euler: $e^{i\\pi} + 1 = 0$.", true)).toMatch(/<span class="katex">/);
  });

  it("does not let a formula link anywhere, load anything, or expand without end", () => {
    const html = render(
      "$\\href{javascript:alert(1)}{x}$ $\\url{http://example.com}$ $\\includegraphics{http://example.com/a.png}$\n\n" +
        "$\\def\\a{\\a\\a}\\a$",
    );
    // The TeX stays readable as text (in red, and in the MathML annotation); nothing becomes a link or an image.
    expect(html).not.toMatch(/<a |<img|href=|src=/i);
    expect(html).toContain("Too many expansions");
  });

  it("shows a formula it cannot read as written instead of failing the answer", () => {
    const html = render("Broken: $\\frac{1}{$ and fine text after.");
    expect(html).toContain("fine text after");
    expect(html).toMatch(/katex-error|\\frac/);
  });

  it("leaves code alone: a dollar sign inside code is not math", () => {
    const html = render("```sh\necho $HOME and $PATH\n```");
    expect(html).not.toContain("katex");
    expect(html).toContain("$HOME");
  });
});
