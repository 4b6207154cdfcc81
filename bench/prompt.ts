// The one prompt every stream sends (about 4,000 characters ≈ 1k tokens) and the reply it gets.
//
// Both paths must stream the same number of tokens. The gateway sends no seed, so the simulator
// picks the reply from a hash of the messages; text-mode replies are 60–257 tokens and the simulator
// has no "ignore_eos"/fixed-length knob (vLLM's benchmarks use ignore_eos). So the direct path sends
// exactly the messages the gateway sends (main.ts reads the gateway's system prompt back through the
// echo model) and the user text carries a nonce chosen so that the reply is at least as long as the
// requested tokens: max_tokens then cuts both paths at exactly the same token. The reply's pieces
// are computed here with the simulator's own code, so the load generator can count delivered tokens
// from delivered characters even when the gateway coalesces several tokens into one SSE event.
import { buildReply } from "../inference/replies";
import { parseChatRequest } from "../inference/request";
import { resolveSimConfig, type SimModelConfig } from "../inference/config";

/** The catalog's system prompt for the bench models (the gateway may add to it, e.g. the date). */
export const SYSTEM_PROMPT = "You are a helpful assistant. Answer in Markdown.";

const PARAGRAPH =
  "Please review the following notes about capacity planning for a streaming service. " +
  "We run several replicas behind a gateway, and each reply is streamed token by token to the browser. ";

/** ~4,000 characters of prompt; the nonce at the end picks the reply. */
export function userText(nonce: number): string {
  return PARAGRAPH.repeat(22).trim() + ` Reference ${nonce}.`;
}

export interface BenchPrompt {
  system: string;
  text: string;
  nonce: number;
  /** Tokens in a full reply at the requested length (≤ maxTokens). */
  tokens: number;
  /** cumulative[i] = characters after piece i (UTF-16 units, as JSON.parse yields them). */
  cumulative: Int32Array;
  messages: { role: "system" | "user"; content: string }[];
}

function replyPieces(model: SimModelConfig, system: string, text: string, maxTokens: number): string[] {
  const parsed = parseChatRequest({
    model: model.name,
    messages: [
      { role: "system", content: system },
      { role: "user", content: text },
    ],
    max_tokens: maxTokens,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return buildReply(parsed.req, model, maxTokens).pieces;
}

/** The first nonce whose reply has at least `want` tokens (or the longest seen). ~0.1 ms per try. */
function findNonce(model: SimModelConfig, system: string, want: number): { nonce: number; tokens: number } {
  let best = { nonce: 0, tokens: 0 };
  for (let nonce = 0; nonce < 300_000; nonce++) {
    const tokens = replyPieces(model, system, userText(nonce), 4_096).length;
    if (tokens >= want) return { nonce, tokens };
    if (tokens > best.tokens) best = { nonce, tokens };
  }
  return best;
}

/** The prompt (with `system` as the gateway sends it) whose reply is cut at exactly `maxTokens`. */
export function benchPrompt(simModel: SimModelConfig, maxTokens: number, system: string): BenchPrompt {
  const found = findNonce(simModel, system, maxTokens);
  if (found.tokens < maxTokens) console.warn(`[bench] no prompt gives a ${maxTokens}-token reply; using ${found.tokens} tokens`);
  const text = userText(found.nonce);
  const pieces = replyPieces(simModel, system, text, maxTokens);
  const cumulative = new Int32Array(pieces.length);
  let chars = 0;
  pieces.forEach((p, i) => {
    chars += p.length;
    cumulative[i] = chars;
  });
  return {
    system,
    text,
    nonce: found.nonce,
    tokens: pieces.length,
    cumulative,
    messages: [
      { role: "system", content: system },
      { role: "user", content: text },
    ],
  };
}

/** The simulator model as the bench configures it, for computing replies locally. */
export function simModel(config: Parameters<typeof resolveSimConfig>[0], name: string): SimModelConfig {
  const model = resolveSimConfig(config).models.find((m) => m.name === name);
  if (!model) throw new Error(`simulator config has no model ${name}`);
  return model;
}

