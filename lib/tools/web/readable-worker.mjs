// Runs in a worker thread (readable.ts): a fetched page reduced to readable Markdown — Readability on a
// linkedom DOM, links and images made absolute against the final URL, then turndown. Plain JavaScript
// so Node can start it as is, inside or outside the Next.js bundle. Readability's cost grows steeply
// with nesting (1,500 nested <div>s took 100 s) and with element count, so a deep or huge document
// skips it for its plain text; whatever else a hostile page does, it can only use up this thread's
// heap limit or the time budget, after which the main thread terminates it.
import { parentPort } from "node:worker_threads";
import readability from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

const { Readability } = readability;

/** Past this many elements or this depth Readability is not run (it would throw past the first, and its
 * scoring, which walks the ancestors of every node, takes seconds past either). */
const MAX_ELEMS = 10_000;
const MAX_DEPTH = 200;

const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
turndown.remove(["script", "style", "noscript", "iframe", "form"]);

function absolutize(doc, base) {
  for (const [selector, attr] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ]) {
    for (const el of doc.querySelectorAll(selector)) {
      const value = el.getAttribute(attr) ?? "";
      try {
        const abs = new URL(value, base);
        // javascript:, data: and the like are not links a reader can follow.
        if (abs.protocol === "http:" || abs.protocol === "https:") el.setAttribute(attr, abs.href);
        else el.removeAttribute(attr);
      } catch {
        el.removeAttribute(attr);
      }
    }
  }
}

/** Whether the document is small and shallow enough for Readability: one walk, no recursion, stopping early. */
function readableShape(root) {
  let elements = 0;
  const stack = [[root, 0]];
  while (stack.length) {
    const [node, d] = stack.pop();
    if (d > MAX_DEPTH || ++elements > MAX_ELEMS) return false;
    for (let c = node.firstElementChild; c; c = c.nextElementSibling) stack.push([c, d + 1]);
  }
  return true;
}

function plainText(document) {
  for (const el of document.querySelectorAll("script, style, noscript, iframe, template")) el.remove();
  // Cells apart, blocks on lines of their own (textContent alone runs them together).
  for (const el of document.querySelectorAll("td, th")) el.after(" ");
  for (const el of document.querySelectorAll("p, div, br, li, tr, h1, h2, h3, h4, h5, h6, section, article, pre, blockquote, table")) el.after("\n");
  const text = document.body?.textContent ?? document.documentElement?.textContent ?? "";
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\r\f\v]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

function read(html, url) {
  const { document } = parseHTML(html);
  absolutize(document, url);
  const fallbackTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  if (!readableShape(document.documentElement ?? document)) return { title: fallbackTitle || url, markdown: plainText(document) };
  const article = new Readability(document, { maxElemsToParse: MAX_ELEMS }).parse();
  const content = article?.content ?? document.body?.innerHTML ?? "";
  const markdown = turndown.turndown(content).replace(/\n{3,}/g, "\n\n").trim();
  return { title: (article?.title || fallbackTitle || url).trim(), markdown };
}

parentPort.on("message", ({ id, html, url }) => {
  try {
    parentPort.postMessage({ id, page: read(html, url) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err).slice(0, 200) });
  }
});
