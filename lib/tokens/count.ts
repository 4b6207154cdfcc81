// Token counting with a real BPE tokenizer (gpt-tokenizer), per the encoding the catalog names for a
// model, in time linear in the text (bounded-count.mjs: the library's own merge is quadratic in the
// length of one pre-tokenized piece, and this runs on the event loop). Each encoding's ranks (several
// MB) load on first use, not at start-up.
import { processShared } from "@/lib/process-registry";
import { loadBoundedCounter, type PartialCount } from "./bounded-count.mjs";

export type Encoding = "o200k_base" | "cl100k_base";

export type { PartialCount };

/** Tokens of a text; `upTo` stops once past `limit` (`complete: false`: the text was not read to its end). */
export interface TokenCounter {
  (text: string): number;
  upTo(text: string, limit: number): PartialCount;
}

// In the process registry: Next's bundles and the app server's own route modules (scripts/server.ts)
// each carry a copy of this module, and each encoding's ranks (tens of MB of heap) should load once per process.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    tokenCounters: Map<Encoding, Promise<TokenCounter>>;
  }
}
const loaded = processShared("tokenCounters", () => new Map<Encoding, Promise<TokenCounter>>());

/** A synchronous counter for the encoding, once its ranks are loaded. */
export function tokenCounter(encoding: Encoding): Promise<TokenCounter> {
  let p = loaded.get(encoding);
  if (!p) {
    p = loadBoundedCounter(encoding).then((c) => Object.assign((text: string) => c.count(text), { upTo: c.countUpTo }));
    loaded.set(encoding, p);
  }
  return p;
}

/**
 * Tokens a chat message adds to a prompt beyond its content: the chat format's framing (role and
 * separators: about 4 tokens a message in OpenAI's and Llama's templates).
 */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** The assistant-turn priming every prompt ends with. */
export const REPLY_PRIMING_TOKENS = 3;

/**
 * Counts for every encoding in use, stored with the message so prompts never re-tokenize history.
 * With `limit`, each count stops once past it (for a text that is only checked against a window).
 */
export async function countForEncodings(text: string, encodings: Iterable<Encoding>, limit = Infinity): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const e of encodings) out[e] = text ? (await tokenCounter(e)).upTo(text, limit).tokens : 0;
  return out;
}
