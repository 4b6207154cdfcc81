// Automatic prefix caching, reduced to bookkeeping (vLLM's --enable-prefix-caching): a request's
// prompt is a chain of blocks — one per message here, where vLLM uses fixed 16-token blocks — each
// identified by a hash of everything before it plus itself. Prefill skips the tokens of the longest
// chain of cached blocks; the blocks are then cached (LRU, bounded in tokens by the KV capacity).
// Per server, so each replica has its own cache and routing with affinity is what makes hits.
import { createHash } from "node:crypto";

export interface PrefixBlock {
  hash: string;
  tokens: number;
}

/** Chained block hashes for a list of (role, text, tokens) entries, continuing from `prev` if given. */
export function prefixBlocks(entries: { role: string; text: string; tokens: number }[], prev = ""): PrefixBlock[] {
  return entries.map((e) => {
    prev = createHash("sha1").update(prev).update("\0").update(e.role).update("\0").update(e.text).digest("base64");
    return { hash: prev, tokens: e.tokens };
  });
}

export class PrefixCache {
  /** hash → tokens, in least- to most-recently used order (Map keeps insertion order). */
  private readonly blocks = new Map<string, number>();
  private used = 0;
  queries = 0;
  hits = 0;

  constructor(private readonly capacityTokens: number) {}

  /** Tokens of the longest cached prefix; counts the query and hit tokens (vLLM's counters). */
  match(blocks: PrefixBlock[]): number {
    let cached = 0;
    for (const b of blocks) {
      if (!this.blocks.has(b.hash)) break;
      cached += b.tokens;
    }
    this.queries += blocks.reduce((s, b) => s + b.tokens, 0);
    this.hits += cached;
    return cached;
  }

  /** Caches (or refreshes) the blocks, evicting the least recently used past the capacity. */
  insert(blocks: PrefixBlock[]): void {
    for (const b of blocks) {
      if (this.blocks.has(b.hash)) this.blocks.delete(b.hash);
      else this.used += b.tokens;
      this.blocks.set(b.hash, b.tokens);
    }
    for (const [hash, tokens] of this.blocks) {
      if (this.used <= this.capacityTokens) break;
      this.blocks.delete(hash);
      this.used -= tokens;
    }
  }

  get usedTokens(): number {
    return this.used;
  }
}
