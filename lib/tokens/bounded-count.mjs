// Token counting whose cost grows linearly with the text, shared by the app (count.ts) and the file
// extraction worker (lib/files/extract-worker.mjs, plain JavaScript, hence this file's language).
//
// Why not gpt-tokenizer's countTokens alone: its byte-pair merge costs the square of the length of one
// pre-tokenized piece (a run of one letter, a line of CJK without punctuation, a long run of spaces),
// so 100 KB of "a" took 30 s of the event loop. The library offers no bound per piece (its
// isWithinTokenLimit stops between pieces, not inside one), so this splits the text itself:
//   - the encoding's own pre-tokenizer regex finds the pieces; the text is counted in windows cut at
//     piece boundaries, so the count of ordinary text is exactly the library's;
//   - a piece longer than MAX_PIECE_CHARS is counted in chunks of that length: a close upper estimate
//     (about one token more per cut) of something no real text contains;
//   - countUpTo stops once past a limit, so a text that cannot fit a window is never counted in full.
// Special tokens ("<|endoftext|>") are counted as the plain text they are: the upstream server sees
// user text, not control tokens, and the library's default would throw on them.
import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";

/** Longest piece handed to the byte-pair merge whole; its cost per character grows with this. */
export const MAX_PIECE_CHARS = 128;
/** Ordinary text is counted in windows of about this many characters (between checks of the limit). */
const WINDOW_CHARS = 16_384;

const PLAIN_TEXT = { disallowedSpecial: new Set() };

const SPLIT = { o200k_base: O200K_TOKEN_SPLIT_REGEX, cl100k_base: CL100K_TOKEN_SPLIT_REGEX };

/** `total` plus the piece in chunks of at most MAX_PIECE_CHARS (no surrogate pair cut), stopping past `limit`. */
function countLongPiece(piece, countRaw, total, limit) {
  let i = 0;
  while (i < piece.length) {
    if (total > limit) return { total, stopped: true };
    let j = Math.min(piece.length, i + MAX_PIECE_CHARS);
    const last = piece.charCodeAt(j - 1);
    if (j < piece.length && last >= 0xd800 && last <= 0xdbff) j--;
    total += countRaw(piece.slice(i, j));
    i = j;
  }
  return { total, stopped: false };
}

/**
 * Tokens of `text` with `countRaw` (the library's count), stopping once past `limit`: `complete` is
 * false when the text was not read to its end (then `tokens`, above `limit`, is only a lower bound).
 */
export function boundedCountUpTo(text, countRaw, split, limit) {
  if (!text) return { tokens: 0, complete: true };
  // Shorter than one long piece: nothing to bound.
  if (text.length <= MAX_PIECE_CHARS) return { tokens: countRaw(text), complete: true };
  const re = new RegExp(split.source, "gu");
  let total = 0;
  let from = 0; // start of the window not counted yet
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index;
    const end = at + m[0].length;
    if (m[0].length > MAX_PIECE_CHARS) {
      if (at > from) total += countRaw(text.slice(from, at));
      const counted = countLongPiece(m[0], countRaw, total, limit);
      if (counted.stopped) return { tokens: counted.total, complete: false };
      total = counted.total;
      from = end;
    } else if (end - from >= WINDOW_CHARS) {
      total += countRaw(text.slice(from, end));
      from = end;
    } else continue;
    if (total > limit) return { tokens: total, complete: from >= text.length };
  }
  if (from < text.length) total += countRaw(text.slice(from));
  return { tokens: total, complete: true };
}

/** Tokens of `text` (boundedCountUpTo without a limit). */
export function boundedCount(text, countRaw, split) {
  return boundedCountUpTo(text, countRaw, split, Infinity).tokens;
}

/** A linear counter for the encoding: count(text) and countUpTo(text, limit) (see boundedCountUpTo). */
export async function loadBoundedCounter(encoding) {
  const mod = encoding === "cl100k_base" ? await import("gpt-tokenizer/encoding/cl100k_base") : await import("gpt-tokenizer/encoding/o200k_base");
  const split = SPLIT[encoding] ?? O200K_TOKEN_SPLIT_REGEX;
  const countRaw = (s) => mod.countTokens(s, PLAIN_TEXT);
  return {
    count: (text) => boundedCount(text, countRaw, split),
    countUpTo: (text, limit) => boundedCountUpTo(text, countRaw, split, limit),
  };
}
