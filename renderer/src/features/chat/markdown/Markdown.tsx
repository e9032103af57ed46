import { memo, useMemo } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
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

/** `finished`: the text will not change any more (not a streaming answer), so its rendering is parsed once and kept. */
type Props = { text: string; onOpenLink: (url: string) => void; finished?: boolean };

const rendered = new RenderedMarkdownCache();

const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkMath];
/**
 * Math ($…$, $$…$$) first, so highlighting never sees it as code. KaTeX untrusted: no \href, \url or \includegraphics
 * (`trust: false`), bounded sizes and macro expansion, and a formula it cannot read is shown as written, in red.
 */
const rehypePlugins: Options["rehypePlugins"] = [
  [rehypeKatex, { trust: false, throwOnError: false, strict: "ignore", maxSize: 20, maxExpand: 500 }],
  [rehypeHighlight, { detect: false }],
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

/**
 * Model output as Markdown (GFM, highlighted code, KaTeX math). Raw HTML is dropped (`skipHtml`), so nothing the
 * model writes can become a script, iframe, form or image.
 */
export const Markdown = memo(function Markdown({ text, onOpenLink, finished = false }: Props) {
  const mapped = useMemo(() => components(onOpenLink), [onOpenLink]);
  const options: Options = { remarkPlugins, rehypePlugins, skipHtml: true, urlTransform, components: mapped, children: text };
  // react-markdown's Markdown is a plain function (parse, transform, build elements): called here, its result can be kept.
  const tree = finished ? rendered.get(text, onOpenLink, () => ReactMarkdown(options)) : <ReactMarkdown {...options} />;
  return <div className="markdown">{tree}</div>;
});
