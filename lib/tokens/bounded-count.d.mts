// Types of bounded-count.mjs (plain JavaScript, so the extraction worker can load it as is).

export declare const MAX_PIECE_CHARS: number;

/** `complete: false`: the count stopped past its limit before the end of the text; `tokens` is then a lower bound. */
export interface PartialCount {
  tokens: number;
  complete: boolean;
}

export declare function boundedCountUpTo(text: string, countRaw: (text: string) => number, split: RegExp, limit: number): PartialCount;

export declare function boundedCount(text: string, countRaw: (text: string) => number, split: RegExp): number;

export interface BoundedCounter {
  /** Tokens of the text, in linear time (exact for ordinary text; a close upper estimate inside pathological runs). */
  count(text: string): number;
  /** The same, but stops once past `limit`. */
  countUpTo(text: string, limit: number): PartialCount;
}

export declare function loadBoundedCounter(encoding: string): Promise<BoundedCounter>;
