import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { splitBlocks } from "./markdown-blocks.js";
import { Markdown, markdownComponents, parseMarkdown } from "./Markdown.js";
import { PARSE_BUDGET_MS, parseNow } from "./parse-budget.js";

const openLink = () => {};
/** Whitespace between top-level elements (the whole document puts a newline there) renders as nothing. */
const tidy = (html: string) => html.replace(/>\n</g, "><");
const blockwise = (text: string, props: { finished?: boolean; lazy?: boolean } = { finished: true }) =>
  renderToStaticMarkup(<Markdown text={text} onOpenLink={openLink} {...props} />);
/** The same text parsed as one document, with the same plugins and components: what the blocks must add up to. */
const whole = (text: string) =>
  renderToStaticMarkup(<div className="markdown">{parseMarkdown(text, markdownComponents(openLink))}</div>);
const answer = [
  "### Step 4: the lens",
  "",
  "The lens needs **attention** before the evening shift; keep `reading_4` handy.",
  "",
  "- inspect the lens for wear",
  "- record the reading",
  "",
  "- a second, loose item",
  "",
  "  continued inside it",
  "",
  "1. first",
  "2. second",
  "",
  "| Item | Before | After |",
  "| --- | ---: | ---: |",
  "| lens | 4 | 28 |",
  "",
  "$$",
  "x^2",
  "",
  "+ y^2",
  "$$",
  "",
  "> quoted",
  "",
  "---",
  "",
  "    indented code",
  "",
  "Last paragraph with $a+b$ inline.",
].join("\n");

describe("markdown cut into blocks", () => {
  it("cuts at blank lines before a new block at the margin, never inside fences, math, list items or indented text", () => {
    const fenced = "Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter";
    expect(splitBlocks(fenced)).toEqual(["Intro", "```ts\nconst a = 1;\n\nconst b = 2;\n```", "After"]);
    expect(splitBlocks("- a\n\n- b\n\n  more of b\n\nNext")).toEqual(["- a\n\n- b\n\n  more of b", "Next"]);
    expect(splitBlocks("$$\na\n\nb\n$$\n\nText")).toEqual(["$$\na\n\nb\n$$", "Text"]);
    expect(splitBlocks("one line")).toEqual(["one line"]);
    expect(splitBlocks("")).toEqual([""]);
  });

  it("keeps text whole when its parts refer to each other or it holds HTML", () => {
    expect(splitBlocks("See [the manual][m].\n\n[m]: https://example.org")).toBeNull();
    expect(splitBlocks("A claim.[^1]\n\n[^1]: The source.")).toBeNull();
    expect(splitBlocks("<div>\n\nx\n\n</div>")).toBeNull();
  });

  it("renders a message block by block exactly as the whole document", () => {
    expect(tidy(blockwise(answer))).toBe(tidy(whole(answer)));
  });

  it("renders a streaming message (its last block still growing) as the whole document too", () => {
    const partial = answer.slice(0, answer.indexOf("| lens"));
    expect(tidy(blockwise(partial, { finished: false }))).toBe(tidy(whole(partial)));
  });
});

describe("a lazy message over this task's parsing budget", () => {
  const busy = () => {
    const started = performance.now();
    while (performance.now() - started <= PARSE_BUDGET_MS) {
      // Stands in for the rows already parsed in this task.
    }
  };

  it("shows its blocks as written at once, and parsed in the next tasks, as their budgets allow", async () => {
    const text = "Some **bold** words for a lazy row.\n\n| a | b |\n| - | - |\n| 1 | 2 |";
    parseNow(busy);
    const first = blockwise(text, { finished: true, lazy: true });
    expect(first).toContain('class="md-pending"');
    expect(first).toContain("Some **bold** words");
    expect(first).not.toContain("<strong>");

    // Each task parses what its budget allows; a few tasks later every block is parsed (and kept).
    let later = first;
    for (let task = 0; task < 5 && later.includes("md-pending"); task++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      later = blockwise(text, { finished: true, lazy: true });
    }
    expect(later).not.toContain("md-pending");
    expect(later).toContain("<strong>bold</strong>");
    expect(later).toContain("<table>");
  });

  it("is never lazy about a message shown alone (not in the list)", () => {
    parseNow(busy);
    expect(blockwise("Some **bold**", { finished: true })).toContain("<strong>bold</strong>");
  });
});
