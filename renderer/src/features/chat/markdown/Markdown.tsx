import { Fragment, memo, useEffect, useMemo, useReducer, type ReactElement } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import { splitBlocks } from "./markdown-blocks.js";
import { canParseNow, parseLater, parseNow } from "./parse-budget.js";
import { RenderedMarkdownCache } from "./rendered-markdown-cache.js";
import rehypeHighlight from "rehype-highlight";
import rehypeKatex from "rehype-katex";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
// Its fonts are bundled with the app's assets (served from 'self'): math never loads anything from the network.
import "katex/dist/katex.min.css";
import { CodeBlock } from "./CodeBlock.js";
import { ExternalLink } from "./ExternalLink.js";
import { safeHttpUrl } from "./safe-url.js";

/**
 * `finished`: the text will not change any more (not a streaming answer). `lazy`: one of many on screen (the message
 * list): blocks that do not fit this task's parsing budget are shown as plain text for a frame or two and parsed
 * between frames.
 */
type Props = { text: string; onOpenLink: (url: string) => void; finished?: boolean; lazy?: boolean };

const rendered = new RenderedMarkdownCache();

const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkMath];
/**
 * rehype-highlight builds its highlighter (registering ~40 grammars) each time a parser is made, and react-markdown
 * makes one per parse: built once here, the same transform serves every parse.
 */
const highlight = rehypeHighlight({ detect: false });
function highlightOnce() {
  return highlight;
}
/**
 * Math ($…$, $$…$$) first, so highlighting never sees it as code. KaTeX untrusted: no \href, \url or \includegraphics
 * (`trust: false`), bounded sizes and macro expansion, and a formula it cannot read is shown as written, in red.
 */
const rehypePlugins: Options["rehypePlugins"] = [
  [rehypeKatex, { trust: false, throwOnError: false, strict: "ignore", maxSize: 20, maxExpand: 500 }],
  highlightOnce,
];

/** Only http(s) targets survive; an image's source is kept only to be offered as a link, never loaded. */
function urlTransform(url: string, key: string): string {
  if (key === "href" || key === "src") return safeHttpUrl(url) ?? "";
  return "";
}

function components(onOpenLink: (url: string) => void): Components {
  return {
    a: ({ href, children }) => {
      const safe = safeHttpUrl(href);
      if (!safe) return <span className="md-link-inert">{children}</span>;
      return (
        <ExternalLink href={safe} onOpen={onOpenLink}>
          {children}
        </ExternalLink>
      );
    },
    // Never an <img>: the alt text stands in, so no request leaves the machine.
    img: ({ alt, src }) => {
      const safe = typeof src === "string" ? safeHttpUrl(src) : null;
      const label = `[image${alt ? `: ${alt}` : ""}]`;
      if (!safe) return <span className="md-image">{label}</span>;
      return (
        <ExternalLink href={safe} onOpen={onOpenLink}>
          <span className="md-image">{label}</span>
        </ExternalLink>
      );
    },
    pre: ({ node, children }) => <CodeBlock node={node}>{children}</CodeBlock>,
    table: ({ children }) => (
      <div className="md-table-wrap">
        <table>{children}</table>
      </div>
    ),
  };
}

/** One piece of markdown parsed into elements, with the app's plugins and components. */
export function parseMarkdown(text: string, components: Components): ReactElement {
  return ReactMarkdown({ remarkPlugins, rehypePlugins, skipHtml: true, urlTransform, components, children: text });
}

/** Languages whose highlighting grammar is compiled ahead, one a slice: the first use of each costs a long parse. */
const WARM_UP_LANGUAGES = ["ts", "js", "python", "bash", "json", "html", "css", "rust", "go", "java", "c", "cpp", "sql", "yaml"];
let warmedUp = false;

/**
 * Gets the parser and the common grammars ready between frames, before a long chat needs them: otherwise the first
 * code block of each language (and the first formula, table) would cost its row a long task.
 */
export function warmUpMarkdown(): void {
  if (warmedUp) return;
  warmedUp = true;
  const plain = components(() => {});
  const samples = ["Some *text*, a `code`, $x^2$ and\n\n| a | b |\n| - | - |\n| 1 | 2 |", ...WARM_UP_LANGUAGES.map((l) => `\`\`\`${l}\nx\n\`\`\``)];
  for (const sample of samples.reverse()) parseLater(() => void parseMarkdown(sample, plain), () => {});
}

/** The app's components for a link handler (its links open through it). */
export function markdownComponents(onOpenLink: (url: string) => void): Components {
  return components(onOpenLink);
}

/**
 * Model output as Markdown (GFM, highlighted code, KaTeX math). Raw HTML is dropped (`skipHtml`), so nothing the
 * model writes can become a script, iframe, form or image.
 *
 * Rendered block by block (markdown-blocks.ts), each block parsed once and kept (the cache): a streaming answer
 * re-parses only its last block, and a long answer scrolled into view costs small parses that can be spread out.
 */
export const Markdown = memo(function Markdown({ text, onOpenLink, finished = false, lazy = false }: Props) {
  const mapped = useMemo(() => components(onOpenLink), [onOpenLink]);
  const blocks = useMemo(() => splitBlocks(text) ?? [text], [text]);
  const [, parsedLater] = useReducer((n: number) => n + 1, 0);
  // react-markdown's Markdown is a plain function (parse, transform, build elements): called here, its result can be kept.
  const parse = (block: string) => parseMarkdown(block, mapped);
  const keep = (block: string) => rendered.peek(block, onOpenLink) ?? rendered.put(block, onOpenLink, parse(block));

  const pending: string[] = [];
  const parts = blocks.map((block, i): ReactElement => {
    // A streaming answer's last block is still growing: parsed each time, never kept.
    if (!finished && i === blocks.length - 1) return <Fragment key={i}>{parseNow(() => parse(block))}</Fragment>;
    const kept = rendered.peek(block, onOpenLink);
    if (kept) return <Fragment key={i}>{kept}</Fragment>;
    if (!lazy || canParseNow()) return <Fragment key={i}>{parseNow(() => keep(block))}</Fragment>;
    pending.push(block);
    return (
      <p key={i} className="md-pending">
        {block}
      </p>
    );
  });

  const pendingKey = pending.join("\u0000");
  useEffect(() => {
    if (pendingKey === "") return;
    const cancels = pendingKey.split("\u0000").map((block) => parseLater(() => keep(block), parsedLater));
    return () => cancels.forEach((cancel) => cancel());
    // keep() reads the current handler; pendingKey changes with every block it has to parse.
  }, [pendingKey]);

  return (
    <div className="markdown" data-pending={pending.length > 0 ? "true" : undefined}>
      {parts}
    </div>
  );
});
