// Token counting is linear (review finding 1): the byte-pair merge only ever sees bounded pieces, the
// count of ordinary text is the library's own, and a count with a limit stops reading once past it.
// The work is checked by what reaches the library (every string it is given, measured), not by a clock.
import fs from "node:fs";
import { countTokens as o200k } from "gpt-tokenizer/encoding/o200k_base";
import { countTokens as cl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { describe, expect, it } from "vitest";
import { boundedCount, boundedCountUpTo, MAX_PIECE_CHARS } from "./bounded-count.mjs";
import { countForEncodings, tokenCounter } from "./count";

const PLAIN = { disallowedSpecial: new Set<string>() };
const ENCODINGS = [
  { name: "o200k_base", raw: (s: string) => o200k(s, PLAIN), split: O200K_TOKEN_SPLIT_REGEX },
  { name: "cl100k_base", raw: (s: string) => cl100k(s, PLAIN), split: CL100K_TOKEN_SPLIT_REGEX },
] as const;

const random = (alphabet: string[], n: number, seed = 7) => {
  let x = seed;
  return Array.from({ length: n }, () => alphabet[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % alphabet.length]).join("");
};

/** Shapes whose single pre-token is the whole text: each cost the library the square of its length. */
const HOSTILE: Record<string, string> = {
  "one letter": "a".repeat(100_000),
  "two letters": random(["a", "b"], 100_000),
  "accented letters": random(["é", "è"], 100_000),
  "CJK run": random(["漢", "字"], 20_000),
  "emoji run": "😀".repeat(50_000),
  "spaces and tabs": random([" ", "\t"], 100_000),
  "punctuation run": random(["=", "-"], 100_000),
};

/** The real library, with every string handed to it recorded. */
function recording(raw: (s: string) => number) {
  const calls: string[] = [];
  return { calls, count: (s: string) => (calls.push(s), raw(s)) };
}

/** The longest pre-tokenized piece of a string (what the library's merge is quadratic in). */
function longestPiece(s: string, split: RegExp): number {
  let longest = 0;
  for (const [piece] of s.matchAll(new RegExp(split.source, "gu"))) longest = Math.max(longest, piece.length);
  return longest;
}

describe("linear token counting", () => {
  it.each(ENCODINGS)("$name: ordinary text counts exactly as the library does", ({ raw, split }) => {
    const texts = [
      fs.readFileSync("README.md", "utf8"),
      fs.readFileSync("lib/gateway/pipeline/index.ts", "utf8"),
      "我们的产品是一个聊天应用，用户可以登录并与模型对话。回复会流式显示！".repeat(300),
      Array.from({ length: 2_000 }, (_, i) => `Line ${i}: value=${(i * 7919) % 1000} — naïve café über 東京 🎉`).join("\n"),
      "short",
    ];
    for (const t of texts) expect(boundedCount(t, raw, split)).toBe(raw(t));
  });

  it.each(ENCODINGS)("$name: hostile runs reach the merge only in pieces of at most MAX_PIECE_CHARS, each character once", ({ raw, split }) => {
    for (const [shape, text] of Object.entries(HOSTILE)) {
      const lib = recording(raw);
      const n = boundedCount(text, lib.count, split);
      // Every string the library got is bounded or made of bounded pieces; none is read twice.
      expect(Math.max(...lib.calls.map((s) => longestPiece(s, split))), shape).toBeLessThanOrEqual(MAX_PIECE_CHARS);
      expect(lib.calls.reduce((sum, s) => sum + s.length, 0), shape).toBe(text.length);
      // A close estimate: within one token per cut of the exact count on a sample the library can afford.
      const sample = text.slice(0, 4_000);
      const cuts = Math.ceil(sample.length / MAX_PIECE_CHARS);
      const exact = raw(sample);
      const estimate = boundedCount(sample, raw, split);
      expect(estimate, shape).toBeGreaterThanOrEqual(exact - cuts);
      expect(estimate, shape).toBeLessThanOrEqual(exact + 2 * cuts);
      expect(n, shape).toBeGreaterThan(0);
    }
  });

  it("a count with a limit stops reading once past it, in ordinary text and inside one long run", () => {
    const { raw, split } = ENCODINGS[0];
    for (const text of [random(["漢", "字", "a", " ", "."], 400_000), random(["漢", "字"], 400_000)]) {
      const lib = recording(raw);
      expect(boundedCountUpTo(text, lib.count, split, 1_000)).toMatchObject({ tokens: expect.any(Number), complete: false });
      expect(lib.calls.reduce((sum, s) => sum + s.length, 0)).toBeLessThan(40_000); // a tenth of the text, not all of it
    }
  });

  it("the app's counters are the bounded ones, and special-token text is counted as text instead of throwing", async () => {
    const count = await tokenCounter("o200k_base");
    expect(count("hello <|endoftext|> there")).toBe(o200k("hello <|endoftext|> there", PLAIN));
    expect(() => o200k("hello <|endoftext|> there")).toThrow(); // the library's default
    expect(count.upTo("x ".repeat(50_000), 100).complete).toBe(false);
    expect(count.upTo("x ".repeat(5_000), 100)).toEqual({ tokens: o200k("x ".repeat(5_000)), complete: true }); // read whole: one window
    expect(await countForEncodings("<|im_start|>system", ["o200k_base", "cl100k_base"])).toEqual({
      o200k_base: o200k("<|im_start|>system", PLAIN),
      cl100k_base: cl100k("<|im_start|>system", PLAIN),
    });
  });
});
