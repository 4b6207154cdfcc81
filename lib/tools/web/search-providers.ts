// Web search backends behind one interface, chosen by SEARCH_PROVIDER. The endpoint is the
// operator's configuration, not a URL a user or model chose, so it is called with a plain fetch
// (a SearXNG instance commonly sits on a private address next to the app, which the SSRF-safe
// fetch would rightly refuse). Result URLs are only shown and cited; reading one goes through
// fetch_url and so through the SSRF-safe fetch.
import { z } from "zod";
import { env } from "@/lib/env";

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchProvider {
  name: string;
  search(query: string, opts: { signal: AbortSignal; count: number }): Promise<SearchResult[]>;
}

export type ProviderChoice = { ok: true; provider: SearchProvider } | { ok: false; reason: string };

const TIMEOUT_MS = 10_000;

async function getJson(url: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) });
  if (!res.ok) throw new Error(`search provider answered HTTP ${res.status}`);
  return res.json();
}

const httpUrl = z.string().refine((u) => /^https?:\/\//i.test(u), "http(s) only");
/** An array of results where a malformed entry (a non-http URL, say) is dropped, not the whole answer. */
const items = <T extends z.ZodRawShape>(shape: T) => {
  const item = z.looseObject(shape);
  return z
    .array(z.unknown())
    .catch([])
    .transform((list) => list.flatMap((x) => {
      const r = item.safeParse(x);
      return r.success ? [r.data] : [];
    }));
};

function clean(results: { title?: string; url: string; snippet?: string }[], count: number): SearchResult[] {
  return results.slice(0, count).map((r) => ({ title: (r.title ?? r.url).slice(0, 300), url: r.url, snippet: (r.snippet ?? "").slice(0, 500) }));
}

function searxng(base: string): SearchProvider {
  const schema = z.object({ results: items({ title: z.string().optional(), url: httpUrl, content: z.string().optional() }) });
  return {
    name: "searxng",
    async search(query, { signal, count }) {
      const url = new URL("search", base.endsWith("/") ? base : `${base}/`);
      url.searchParams.set("q", query);
      url.searchParams.set("format", "json");
      const json = schema.parse(await getJson(url.href, { headers: { accept: "application/json" } }, signal));
      return clean(json.results.map((r) => ({ title: r.title, url: r.url, snippet: r.content })), count);
    },
  };
}

function brave(key: string, base = "https://api.search.brave.com/res/v1/web/search"): SearchProvider {
  const schema = z.object({ web: z.object({ results: items({ title: z.string().optional(), url: httpUrl, description: z.string().optional() }) }).optional() });
  return {
    name: "brave",
    async search(query, { signal, count }) {
      const url = new URL(base);
      url.searchParams.set("q", query);
      url.searchParams.set("count", String(count));
      const json = schema.parse(await getJson(url.href, { headers: { accept: "application/json", "x-subscription-token": key } }, signal));
      return clean((json.web?.results ?? []).map((r) => ({ title: r.title, url: r.url, snippet: r.description })), count);
    },
  };
}

function tavily(key: string, base = "https://api.tavily.com/search"): SearchProvider {
  const schema = z.object({ results: items({ title: z.string().optional(), url: httpUrl, content: z.string().optional() }) });
  return {
    name: "tavily",
    async search(query, { signal, count }) {
      const init = {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, max_results: count }),
      };
      const json = schema.parse(await getJson(base, init, signal));
      return clean(json.results.map((r) => ({ title: r.title, url: r.url, snippet: r.content })), count);
    },
  };
}

/** The configured provider, or why web search is off. */
export function searchProvider(): ProviderChoice {
  const { SEARCH_PROVIDER: kind, SEARCH_URL: url, SEARCH_API_KEY: key } = env();
  if (!kind) return { ok: false, reason: "no search provider is configured on this server (SEARCH_PROVIDER)" };
  if (kind === "searxng") return url ? { ok: true, provider: searxng(url) } : { ok: false, reason: "SEARCH_URL is not set for SearXNG" };
  if (!key) return { ok: false, reason: `SEARCH_API_KEY is not set for ${kind}` };
  return { ok: true, provider: kind === "brave" ? brave(key, url) : tavily(key, url) };
}
