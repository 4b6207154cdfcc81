// A fetched page reduced to readable Markdown: Readability on a linkedom DOM (no browser engine
// in the server), links and images made absolute against the final URL, then turndown.
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

export interface ReadablePage {
  title: string;
  markdown: string;
}

function absolutize(doc: Document, base: string): void {
  for (const [selector, attr] of [["a[href]", "href"], ["img[src]", "src"]] as const) {
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

const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
turndown.remove(["script", "style", "noscript", "iframe", "form"]);

export function readableFromHtml(html: string, url: string): ReadablePage {
  const { document } = parseHTML(html);
  absolutize(document as unknown as Document, url);
  const fallbackTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  const article = new Readability(document as unknown as Document).parse();
  const content = article?.content ?? document.body?.innerHTML ?? "";
  const markdown = turndown.turndown(content).replace(/\n{3,}/g, "\n\n").trim();
  return { title: (article?.title || fallbackTitle || url).trim(), markdown };
}
