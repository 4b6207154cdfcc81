// web_search: asks the configured search provider; results reach the model marked untrusted.
import { z } from "zod";
import type { Tool } from "./types";
import { errorResult } from "./types";
import { searchProvider } from "./web/search-providers";
import { untrusted } from "./web/untrusted";

const input = z.object({ query: z.string().trim().min(1, "query is empty").max(400) });

export const webSearchTool: Tool<z.infer<typeof input>> = {
  name: "web_search",
  label: "Searched the web",
  description: "Search the web. Returns titles, URLs and snippets; read a result with fetch_url before relying on it, and cite the pages you used.",
  input,
  availability() {
    const choice = searchProvider();
    return choice.ok ? { ok: true } : { ok: false, reason: choice.reason };
  },
  async run({ query }, ctx) {
    const choice = searchProvider();
    if (!choice.ok) return errorResult("web_search", `Web search is off: ${choice.reason}.`);
    let results;
    try {
      results = await choice.provider.search(query, { signal: ctx.signal, count: 8 });
    } catch (err) {
      if (ctx.signal.aborted) return errorResult("web_search", "Stopped.");
      console.error("web search failed", { provider: choice.provider.name, error: (err as Error).message });
      return errorResult("web_search", "The search provider could not be reached.");
    }
    const list = results.length
      ? results.map((r, i) => `${i + 1}. ${r.title}\n   ${r.url}\n   ${r.snippet}`).join("\n")
      : "(no results)";
    return {
      content: untrusted(`Web search results for "${query}"`, "", list),
      display: { kind: "web_search", query, results },
    };
  },
};
