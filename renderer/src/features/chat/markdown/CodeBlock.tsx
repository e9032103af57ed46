import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ExtraProps } from "react-markdown";

type HastNode = NonNullable<ExtraProps["node"]>;
type HastChild = HastNode["children"][number];

function textOf(node: HastChild | HastNode): string {
  if (node.type === "text") return node.value;
  if ("children" in node) return node.children.map((child) => textOf(child as HastChild)).join("");
  return "";
}

function codeChild(node: HastNode | undefined): HastNode | undefined {
  return node?.children.find((c): c is HastNode => c.type === "element" && c.tagName === "code");
}

function languageOf(code: HastNode | undefined): string | null {
  const className = code?.properties.className;
  const classes = Array.isArray(className) ? className.map(String) : [];
  const language = classes.find((c) => c.startsWith("language-"));
  return language ? language.slice("language-".length) : null;
}

/** A fenced code block: language label, highlighted code, and a Copy button. */
export function CodeBlock({ node, children }: { node?: HastNode; children?: ReactNode }) {
  const code = codeChild(node);
  const language = languageOf(code);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code ? textOf(code) : "");
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied("idle"), 1500);
  }

  return (
    <div className="code-block">
      <div className="code-block-header">
        <span className="code-block-language">{language ?? "text"}</span>
        <button type="button" className="code-block-copy" onClick={copy} data-testid="copy-code">
          {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
        </button>
      </div>
      <pre>{children}</pre>
    </div>
  );
}
