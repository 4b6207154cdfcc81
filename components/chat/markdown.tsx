"use client";

import type { Element, ElementContent } from "hast";
import { memo, useMemo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./code-block";
import { splitMarkdownBlocks } from "./markdown-blocks";

// Model output is untrusted: raw HTML is never rendered (react-markdown escapes it), the tree is
// sanitized with the default (GitHub) schema, which keeps `language-*` classes on code, and images
// are shown as links so a reply cannot make the browser fetch arbitrary URLs.

function textOf(nodes: readonly ElementContent[]): string {
  let out = "";
  for (const n of nodes) {
    if (n.type === "text") out += n.value;
    else if (n.type === "element") out += textOf(n.children);
  }
  return out;
}

function codeOf(pre: Element | undefined): { code: string; language: string | null } {
  const code = pre?.children.find((c): c is Element => c.type === "element" && c.tagName === "code");
  const classes = code?.properties.className;
  const list = Array.isArray(classes) ? classes.map(String) : [];
  const language = list.find((c) => c.startsWith("language-"))?.slice("language-".length) ?? null;
  return { code: textOf(code?.children ?? []).replace(/\n$/, ""), language: language || null };
}

/** Props without react-markdown's `node` (the hast element), which must not reach the DOM. */
function domProps<T extends { node?: unknown }>(props: T): Omit<T, "node"> {
  const copy = { ...props };
  delete copy.node;
  return copy;
}

const components: Components = {
  a(props) {
    const { href, children, ...rest } = domProps(props);
    const internal = typeof href === "string" && href.startsWith("#");
    return (
      <a {...rest} href={href} {...(internal ? {} : { target: "_blank", rel: "noopener noreferrer nofollow" })}>
        {children}
      </a>
    );
  },
  pre({ node }) {
    const { code, language } = codeOf(node);
    return <CodeBlock code={code} language={language} />;
  },
  table(props) {
    return (
      <div className="table-wrap">
        <table {...domProps(props)} />
      </div>
    );
  },
  img({ src, alt }) {
    if (typeof src !== "string" || !src) return <span>{alt}</span>;
    return (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt?.trim() || "Image"}
      </a>
    );
  },
};

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeSanitize];

const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
});

/**
 * Renders a reply. The text is split into top-level blocks, each memoized by its text, so while a
 * reply streams only the last block is parsed again per update.
 */
export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
  return (
    <div className="markdown">
      {blocks.map((block, i) => (
        // Blocks only ever grow at the end, so the index is a stable key.
        <MarkdownBlock key={i} text={block} />
      ))}
    </div>
  );
}
