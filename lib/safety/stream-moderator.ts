// Output moderation on the token stream. Each character goes once through the phrase automaton;
// the automaton's state says how long a suffix of the text could still grow into a match, and
// only that suffix is held back (never more than maxHoldChars) — everything before it is released
// at once. A match that reaches the output block threshold stops the reply.
import { buildAutomaton, type Automaton } from "./automaton";
import { addScore, type CategoryScores, type SafetyCategory } from "./categories";
import { compilePhrases, phraseSymbols, type CompiledPhrase } from "./classify";
import type { SafetyConfig, Threshold } from "./config";
import { ALPHABET, SEPARATOR, SKIP, symbolOf } from "./normalize";

export interface StreamBlock {
  category: SafetyCategory;
  phrase: string;
  /** The text that was held back when the block happened (never shown to the user). */
  held: string;
}

export interface StreamStep {
  /** Text that can be shown now ("" while everything is held). */
  release: string;
  block: StreamBlock | null;
}

/** What the stream watches: categories that can warn or block on output; PII, profanity and jailbreak phrases are input concerns. */
const INPUT_ONLY = new Set<SafetyCategory>(["pii", "profanity", "jailbreak"]);

export interface StreamTables {
  automaton: Automaton;
  phrases: CompiledPhrase[];
  thresholds: Record<SafetyCategory, Threshold>;
  maxHold: number;
}

const cache = new WeakMap<SafetyConfig, StreamTables>();

export function streamTables(config: SafetyConfig): StreamTables {
  let t = cache.get(config);
  if (t) return t;
  const phrases = compilePhrases().filter((p) => {
    const th = config.outputCategories[p.category];
    return !INPUT_ONLY.has(p.category) && (th.warn !== null || th.block !== null);
  });
  const symbols = phrases.map((p) => phraseSymbols(p.phrase));
  // Hold from the start of each phrase's last word: what it takes to keep the harmful completion
  // from ever showing, without holding back every "how", "you" or "i" of benign text (a hold shows
  // up as a long gap then a burst of tokens).
  const automaton = buildAutomaton(symbols, symbols.map(lastWordStart));
  if (automaton.maxLength > config.stream.maxHoldChars) {
    throw new Error(`safety: stream.maxHoldChars (${config.stream.maxHoldChars}) is shorter than the longest phrase (${automaton.maxLength})`);
  }
  t = { automaton, phrases, thresholds: config.outputCategories, maxHold: config.stream.maxHoldChars };
  cache.set(config, t);
  return t;
}

/** Index of the first symbol of a phrase's last word (phrases start with a separator; closed ones end with one). */
function lastWordStart(symbols: number[]): number {
  let end = symbols.length;
  while (end > 0 && symbols[end - 1] === SEPARATOR) end--;
  let i = end;
  while (i > 0 && symbols[i - 1] !== SEPARATOR) i--;
  return i;
}

export class StreamModerator {
  private readonly a: Automaton;
  private state: number;
  private lastSep = true;
  /** Raw offsets (from the start of the reply) of the last symbols fed, by symbol number. */
  private readonly ring: Int32Array;
  private readonly mask: number;
  private symbols = 1;
  private received = 0;
  private released = 0;
  private pending = "";
  private blocked: StreamBlock | null = null;
  readonly scores: CategoryScores = {};
  readonly matches: { category: SafetyCategory; phrase: string }[] = [];

  constructor(private readonly t: StreamTables) {
    this.a = t.automaton;
    let size = 1;
    while (size < t.maxHold + 2) size <<= 1;
    this.ring = new Int32Array(size);
    this.mask = size - 1;
    this.state = this.a.next[SEPARATOR]; // the reply starts at a word boundary (symbol 0, at offset 0)
  }

  get isBlocked(): boolean {
    return this.blocked !== null;
  }

  /** Characters held back right now. */
  get heldLength(): number {
    return this.pending.length;
  }

  push(text: string): StreamStep {
    if (this.blocked) return { release: "", block: this.blocked };
    const base = this.received;
    this.pending += text;
    this.received += text.length;
    const { next, out } = this.a;
    for (let i = 0; i < text.length; i++) {
      const sym = symbolOf(text.charCodeAt(i));
      if (sym === SKIP) continue;
      if (sym === SEPARATOR) {
        if (this.lastSep) continue;
        this.lastSep = true;
      } else this.lastSep = false;
      this.state = next[this.state * ALPHABET + sym];
      this.ring[this.symbols & this.mask] = base + i;
      this.symbols++;
      const o = out[this.state];
      if (o && this.onMatch(o)) return { release: "", block: this.blocked };
    }
    return { release: this.releaseUpTo(this.holdFrom()), block: null };
  }

  /** The reply ended: close the last word, then release everything left. */
  flush(): StreamStep {
    if (this.blocked) return { release: "", block: this.blocked };
    if (!this.lastSep) {
      this.lastSep = true;
      this.state = this.a.next[this.state * ALPHABET + SEPARATOR];
      const o = this.a.out[this.state];
      if (o && this.onMatch(o)) return { release: "", block: this.blocked };
    }
    return { release: this.releaseUpTo(this.received), block: null };
  }

  private holdFrom(): number {
    const depth = this.a.hold[this.state];
    let from = depth === 0 ? this.received : this.ring[(this.symbols - depth) & this.mask];
    // Bounded hold: runs of skipped characters can make the raw tail longer than the symbols it holds.
    if (this.received - from > this.t.maxHold) from = this.received - this.t.maxHold;
    return from;
  }

  private releaseUpTo(abs: number): string {
    let n = abs - this.released;
    if (n <= 0) return "";
    const code = this.pending.charCodeAt(n - 1);
    if (code >= 0xd800 && code <= 0xdbff && n < this.pending.length) n--; // never split a surrogate pair
    const out = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    this.released += n;
    return out;
  }

  private onMatch(ids: number[]): boolean {
    for (const id of ids) {
      const p = this.t.phrases[id];
      this.matches.push({ category: p.category, phrase: p.phrase });
      addScore(this.scores, p.category, p.weight);
      const block = this.t.thresholds[p.category].block;
      if (block !== null && (this.scores[p.category] ?? 0) >= block) {
        this.blocked = { category: p.category, phrase: p.phrase, held: this.pending };
        this.pending = "";
        return true;
      }
    }
    return false;
  }
}
