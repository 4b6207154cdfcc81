// Bounds the text wink-nlp reads per check, without opening a bypass by padding. classify.ts hands
// over the sentences (cues.ts pieces, repeats already dropped) that carry an act or a harmful object
// and a request frame, an intent or concealment; they are taken from the head and the tail
// alternately (the first, the last, the second, …) up to NLP_BUDGET_CHARS. A harmful request after
// 100 KB of filler is one sentence read. If they overflow the budget, `overflow` says how many were
// left unread and the caller refuses the input rather than pass what it could not read. Linear.
import { cuePieces } from "./cues";

export const NLP_BUDGET_CHARS = 12_000;

export interface NlpWindow {
  /** The sentences kept, head and tail alternately. */
  pieces: string[];
  /** Whether anything was kept. */
  text: boolean;
  /** Sentences that did not fit the budget (0 = everything relevant was read). */
  overflow: number;
}

export function nlpWindow(pieces: readonly string[]): NlpWindow {
  const kept: string[] = [];
  let used = 0;
  let overflow = 0;
  for (let lo = 0, hi = pieces.length - 1, k = 0; lo <= hi; k++) {
    const p = k % 2 === 0 ? pieces[lo++] : pieces[hi--];
    if (used + p.length + 2 > NLP_BUDGET_CHARS) {
      overflow++;
      continue;
    }
    kept.push(p);
    used += p.length + 2;
  }
  // classify.ts joins them with a blank line: wink-nlp's sentence breaker never joins two of them.
  return { pieces: kept, text: kept.length > 0, overflow };
}

/**
 * The pieces of a (deobfuscated) text that carry a cue. Used for the middle of a very long input
 * (classify.ts reads its head and tail whole): one cheap automaton pass finds what to read.
 */
export function triggerPieces(text: string): string[] {
  return cuePieces(text).pieces.map((p) => p.text);
}
