import { describe, expect, it } from "vitest";
import { PrefixCache, prefixBlocks } from "./prefix-cache";

const conv = (...texts: string[]) => prefixBlocks(texts.map((text, i) => ({ role: i % 2 ? "assistant" : "user", text, tokens: 100 })));

describe("PrefixCache", () => {
  it("hits the longest cached prefix only", () => {
    const cache = new PrefixCache(10_000);
    expect(cache.match(conv("a", "b", "c"))).toBe(0);
    cache.insert(conv("a", "b", "c"));
    expect(cache.match(conv("a", "b", "c", "d", "e"))).toBe(300);
    expect(cache.match(conv("a", "x", "c"))).toBe(100); // a changed middle breaks the chain
    expect(cache.match(conv("z", "b", "c"))).toBe(0);
    expect(cache.queries).toBe(300 + 500 + 300 + 300);
    expect(cache.hits).toBe(400);
  });

  it("evicts least recently used blocks past its capacity", () => {
    const cache = new PrefixCache(300);
    cache.insert(conv("a", "b"));
    cache.insert(conv("p"));
    cache.match(conv("a")); // matching does not refresh; inserting does
    cache.insert(conv("a"));
    cache.insert(conv("q"));
    expect(cache.usedTokens).toBe(300);
    expect(cache.match(conv("a"))).toBe(100);
    expect(cache.match(conv("a", "b"))).toBe(100); // "b" was evicted first
    expect(cache.match(conv("q"))).toBe(100);
  });
});

describe("prefix caching in the server", () => {
  it("skips prefill for a cached conversation prefix and counts hits in /metrics", async () => {
    const { startTestServer, streamChat, contentOf, metric } = await import("./test-helpers");
    // 20k tokens of shared history at 100k tokens/s: 200 ms of prefill when not cached.
    const server = await startTestServer({
      models: [{ name: "slow-prefill", baseTtftMs: 5, prefillTokensPerS: 100_000, decodeTokensPerS: 5_000, defaultMaxTokens: 20 }],
    });
    try {
      const history = [{ role: "system", content: "x".repeat(80_000) }, { role: "user", content: "first question" }];
      const first = await streamChat(server.url, { model: "slow-prefill", messages: history, max_tokens: 20 });
      const reply = contentOf(first.events);
      const second = await streamChat(server.url, {
        model: "slow-prefill",
        messages: [...history, { role: "assistant", content: reply }, { role: "user", content: "follow-up" }],
        max_tokens: 20,
      });
      const ttft = (r: typeof first) => r.events.find((e) => e.json?.choices?.[0]?.delta?.content)!.at;
      expect(ttft(first)).toBeGreaterThan(180);
      expect(ttft(second)).toBeLessThan(ttft(first) / 2);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = (name: string) => Number(text.split("\n").find((l) => l.startsWith(`${name} `))!.split(" ")[1]);
      expect(line("vllm:prefix_cache_hits_total")).toBeGreaterThan(20_000);
      expect(line("vllm:prefix_cache_queries_total")).toBeGreaterThan(line("vllm:prefix_cache_hits_total"));
      expect(metric(text, "vllm:num_requests_running", "slow-prefill")).toBe(0);
    } finally {
      await server.close();
    }
  });
});
