// fetch_url: reads one web page through the SSRF-safe fetch and gives the model its readable text,
// marked untrusted, with the title and final URL to cite.
import { z } from "zod";
import { safeFetch, SafeFetchError } from "@/lib/net/safe-fetch";
import type { Tool } from "./types";
import { errorResult } from "./types";
import { readableFromHtml } from "./web/readable";
import { untrusted } from "./web/untrusted";

const input = z.object({ url: z.string().min(1).max(2048) });

const MAX_CHARS = 20_000;
const TEXT_TYPES = /^(text\/(plain|markdown|csv)|application\/json)/i;

export const fetchUrlTool: Tool<z.infer<typeof input>> = {
  name: "fetch_url",
  label: "Read",
  description: "Fetch a public web page (http or https) and return its readable text as Markdown, with its title and URL for citation.",
  input,
  availability: () => ({ ok: true }),
  async run({ url }, ctx) {
    let res;
    try {
      res = await safeFetch(url, { signal: ctx.signal, accept: "text/html,application/xhtml+xml,text/plain;q=0.8,*/*;q=0.5" });
    } catch (err) {
      if (err instanceof SafeFetchError) return errorResult("fetch_url", `Could not fetch ${url}: ${err.message}`);
      throw err;
    }
    if (res.status >= 400) return errorResult("fetch_url", `The page answered HTTP ${res.status}.`);
    const type = res.contentType.toLowerCase();
    let title = res.url;
    let text: string;
    if (type.includes("html") || type === "") {
      const page = await readableFromHtml(res.body.toString("utf8"), res.url);
      title = page.title;
      text = page.markdown;
    } else if (TEXT_TYPES.test(type)) {
      text = res.body.toString("utf8");
    } else {
      return errorResult("fetch_url", `The URL is not a readable page (${type.split(";")[0]}).`);
    }
    const cut = text.length > MAX_CHARS;
    if (cut) text = `${text.slice(0, MAX_CHARS)}\n… (truncated)`;
    else if (res.truncated) text += "\n… (page truncated at the size limit)";
    const content = untrusted("The text of a fetched web page", `Title: ${title}\nURL: ${res.url}\nCite it as [${title}](${res.url}).`, text);
    return { content, display: { kind: "fetch_url", url: res.url, pages: [{ title, url: res.url }] } };
  },
};
