// Aho–Corasick over normalized symbols (normalize.ts), compiled to a dense transition table so that
// each character costs one array read. Hand-written: the npm Aho–Corasick packages match whole
// strings and expose neither the current state nor its depth, which the stream needs to know how
// much of the tail could still become a match.
import { ALPHABET, SEPARATOR, symbolOf, SKIP } from "./normalize";

export interface Automaton {
  /** next[state * ALPHABET + symbol] */
  next: Int32Array;
  /** Length in symbols of the longest pattern prefix this state stands for. */
  depth: Int32Array;
  /**
   * How many of the last symbols a stream must hold back in this state: the part of a possible match
   * from its pattern's hold point on (see buildAutomaton), over this state and its suffix states.
   */
  hold: Int32Array;
  /** Patterns that end at this state (its own and its dictionary suffixes), or null. */
  out: (number[] | null)[];
  /** Longest pattern, in symbols. */
  maxLength: number;
}

/**
 * holdFrom[i]: the symbol index from which pattern i is held back while it could still match (default
 * 0: all of it). The stream passes the start of a phrase's last word, so the lead-in ("how to make a")
 * is shown while only the word that would complete the match ("bomb") waits.
 */
export function buildAutomaton(patterns: number[][], holdFrom: number[] = []): Automaton {
  const children: Map<number, number>[] = [new Map()];
  const depth: number[] = [0];
  const own: number[][] = [[]];
  const holdOwn: number[] = [0];
  patterns.forEach((p, id) => {
    let s = 0;
    const from = holdFrom[id] ?? 0;
    for (const sym of p) {
      let t = children[s].get(sym);
      if (t === undefined) {
        t = children.length;
        children.push(new Map());
        depth.push(depth[s] + 1);
        own.push([]);
        holdOwn.push(0);
        children[s].set(sym, t);
      }
      s = t;
      holdOwn[s] = Math.max(holdOwn[s], depth[s] - from);
    }
    own[s].push(id);
  });
  const n = children.length;
  const next = new Int32Array(n * ALPHABET);
  const fail = new Int32Array(n);
  const hold = Int32Array.from(holdOwn);
  const out: (number[] | null)[] = new Array(n).fill(null);
  const queue: number[] = [];
  for (let a = 0; a < ALPHABET; a++) {
    const t = children[0].get(a);
    next[a] = t ?? 0;
    if (t !== undefined) queue.push(t);
  }
  out[0] = own[0].length ? own[0] : null;
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    const merged = [...own[s], ...(out[fail[s]] ?? [])];
    out[s] = merged.length ? merged : null;
    // A shorter suffix of the text may be a prefix of another pattern that needs more held back.
    if (s !== 0) hold[s] = Math.max(hold[s], hold[fail[s]]);
    for (let a = 0; a < ALPHABET; a++) {
      const t = children[s].get(a);
      if (t !== undefined) {
        fail[t] = next[fail[s] * ALPHABET + a];
        next[s * ALPHABET + a] = t;
        queue.push(t);
      } else {
        next[s * ALPHABET + a] = next[fail[s] * ALPHABET + a];
      }
    }
  }
  return { next, depth: Int32Array.from(depth), hold, out, maxLength: Math.max(0, ...patterns.map((p) => p.length)) };
}

export interface ScanHit {
  pattern: number;
  /** Raw-text index of the character that completed the match. */
  end: number;
}

/** Every match in a whole text (the input path). The text is treated as bounded by separators. */
export function scanText(a: Automaton, text: string): ScanHit[] {
  const hits: ScanHit[] = [];
  let state = a.next[SEPARATOR];
  let lastSep = true;
  const step = (sym: number, at: number) => {
    state = a.next[state * ALPHABET + sym];
    const o = a.out[state];
    if (o) for (const pattern of o) hits.push({ pattern, end: at });
  };
  for (let i = 0; i < text.length; i++) {
    const sym = symbolOf(text.charCodeAt(i));
    if (sym === SKIP) continue;
    if (sym === SEPARATOR) {
      if (lastSep) continue;
      lastSep = true;
    } else lastSep = false;
    step(sym, i);
  }
  if (!lastSep) step(SEPARATOR, text.length);
  return hits;
}
