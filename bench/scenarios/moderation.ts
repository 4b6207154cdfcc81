// Scenario: the streaming output moderator's cost per token and the delay its hold adds, on the
// simulator's own replies (inference/text-reply.ts, the tokens the gateway really relays) plus a
// worst case full of near-misses ("how to make a bombastic …"). In-process, no servers: the
// moderator is pure CPU on the relay path, so its cost is measured directly around push().
// `npm run eval:safety` runs it, and `npm run bench` (scenario 8, bench/main.ts).
import { generateText, hashString, rng, tokenize } from "@/inference/text-reply";
import { resolveSafetyConfig } from "@/lib/safety/config";
import { StreamModerator, streamTables } from "@/lib/safety/stream-moderator";
import { percentile } from "../stats";

export const MODERATION_PER_TOKEN_P99_TARGET_US = 20;

export interface ModerationCase {
  name: string;
  tokens: number;
  perTokenP50Us: number;
  perTokenP99Us: number;
  perTokenMaxUs: number;
  /** Share of characters not released in the push that brought them (held for a later token). */
  heldCharShare: number;
  /** How many tokens a held character waited, p99 (0 = released at once). */
  holdTokensP99: number;
  /** The longest tail held at any moment, characters. */
  maxHeldChars: number;
}

export interface ModerationResult {
  cases: ModerationCase[];
  maxHoldChars: number;
}

function replies(count: number): string[][] {
  const prompts = ["Tell me about databases", "How do I make bread?", "Explain streaming servers", "Write about the history of Rome"];
  return Array.from({ length: count }, (_, i) => {
    const prompt = prompts[i % prompts.length];
    return tokenize(generateText(prompt, rng(hashString(`${prompt}${i}`)), 250));
  });
}

/** Text that keeps the automaton deep in partial matches without ever completing one. */
function nearMisses(count: number): string[][] {
  const text = "Here is how to make a bombastic speech and how to kill a process; you should kill yourselves laughing. ".repeat(8);
  return Array.from({ length: count }, () => tokenize(text));
}

function measure(name: string, streams: string[][], config = resolveSafetyConfig()): ModerationCase {
  const tables = streamTables(config);
  const times: number[] = [];
  const holds: number[] = [];
  let chars = 0;
  let held = 0;
  let maxHeld = 0;
  for (const tokens of streams) {
    const m = new StreamModerator(tables);
    // Characters waiting, with the token index they arrived in.
    const waiting: number[] = [];
    tokens.forEach((token, t) => {
      const t0 = process.hrtime.bigint();
      const step = m.push(token);
      const t1 = process.hrtime.bigint();
      times.push(Number(t1 - t0) / 1_000);
      for (let k = 0; k < token.length; k++) waiting.push(t);
      const released = waiting.splice(0, step.release.length);
      for (const arrived of released) {
        holds.push(t - arrived);
        if (t > arrived) held++;
      }
      chars += token.length;
      maxHeld = Math.max(maxHeld, m.heldLength);
    });
    const end = m.flush();
    for (const arrived of waiting.splice(0, end.release.length)) {
      holds.push(tokens.length - arrived);
      held++;
    }
  }
  return {
    name,
    tokens: times.length,
    perTokenP50Us: percentile(times, 50),
    perTokenP99Us: percentile(times, 99),
    perTokenMaxUs: Math.max(...times),
    heldCharShare: held / chars,
    holdTokensP99: percentile(holds, 99),
    maxHeldChars: maxHeld,
  };
}

export function moderationBench(opts: { replies?: number } = {}): ModerationResult {
  const n = opts.replies ?? 400;
  measure("warm-up", replies(20));
  return {
    cases: [measure("simulator replies", replies(n)), measure("near-miss worst case", nearMisses(Math.ceil(n / 4)))],
    maxHoldChars: resolveSafetyConfig().stream.maxHoldChars,
  };
}
