import { describe, expect, it } from "vitest";
import { CASCADE_PATTERNS, classifiedSlice, CLASSIFIED_CHARS, classify } from "./cascade";
import { loadLabelledPrompts } from "./labelled-prompts";

describe("auto cascade classifier", () => {
  const prompts = loadLabelledPrompts();

  it("has a varied labelled set of at least 200 prompts", () => {
    expect(prompts.length).toBeGreaterThanOrEqual(200);
    expect(prompts.filter((p) => p.label === "cheap").length).toBeGreaterThan(80);
    expect(prompts.filter((p) => p.label === "strong").length).toBeGreaterThan(80);
  });

  it("routes the labelled set with at least 90% accuracy and few strong prompts sent cheap", () => {
    let correct = 0;
    let strongAsCheap = 0;
    for (const p of prompts) {
      const got = classify({ text: p.text, depth: p.depth, attachments: p.attachments }).tier;
      if (got === p.label) correct++;
      else if (p.label === "strong") strongAsCheap++;
    }
    expect(correct / prompts.length).toBeGreaterThanOrEqual(0.9);
    expect(strongAsCheap / prompts.length).toBeLessThan(0.06);
  });

  it("explains its decision with the features that fired", () => {
    expect(classify({ text: "hi there", depth: 1, attachments: 0 })).toMatchObject({ tier: "cheap" });
    const hard = classify({ text: "Prove that there are infinitely many primes, step by step.", depth: 1, attachments: 0 });
    expect(hard.tier).toBe("strong");
    expect(hard.reasons).toEqual(expect.arrayContaining(["math", "multi-step"]));
    expect(classify({ text: "What does this show?", depth: 1, attachments: 2 }).tier).toBe("strong");
  });
});

describe("auto cascade classifier on hostile input", () => {
  // The shapes that made the old patterns backtrack (review finding 3) and their neighbours.
  const SHAPES: Record<string, (n: number) => string> = {
    digits: (n) => "1".repeat(n),
    "digits then operator far away": (n) => `${"1".repeat(n - 2)} x`,
    newlines: (n) => "\n".repeat(n),
    "space-newline pairs": (n) => " \n".repeat(n / 2),
    "tab-newline pairs": (n) => "\t\n".repeat(n / 2),
    "one long word": (n) => "w".repeat(n),
    "SELECT on one line": (n) => "SELECT ".repeat(n / 7),
    "first on one line": (n) => "first ".repeat(n / 6),
    "list markers": (n) => "1.\n".repeat(n / 3),
    "let without =": (n) => `let ${"x".repeat(n - 4)}`,
    "write then a long word": (n) => `write ${"a".repeat(n - 6)}`,
    "braces and spaces": (n) => "{ ".repeat(n / 2),
    "x and spaces": (n) => `x${" ".repeat(n - 1)}`,
  };

  /** Best of three runs of every pattern on the text (the minimum is the cost; the rest is others' load). */
  function cost(text: string): number {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      for (const re of Object.values(CASCADE_PATTERNS)) {
        if (re.global) text.match(re);
        else re.test(text);
      }
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }

  it.each(Object.keys(SHAPES))("%s: every pattern on 300 K characters costs about three times 100 K", (shape) => {
    const small = SHAPES[shape](100_000);
    const large = SHAPES[shape](300_000);
    cost(small.slice(0, 1_000)); // warm-up
    const t1 = cost(small);
    const t2 = cost(large);
    // Linear triples (≈3); quadratic is ≈9. 6 leaves room for a shared machine's noise; the floor is for tiny times.
    expect(t2, `${shape}: ${t1.toFixed(1)} ms → ${t2.toFixed(1)} ms`).toBeLessThan(Math.max(6 * t1, 60));
    expect(t2).toBeLessThan(1_000);
  });

  it("classifies only the start and the end of a long text (its length aside)", () => {
    const middle = "Prove the theorem step by step and write a function. ".repeat(2_000);
    const long = `hello there ${middle} thanks`;
    const decision = classify({ text: long, depth: 1, attachments: 0 });
    // What is in the middle only is not read; the length counts in full.
    const padded = `${"x".repeat(CLASSIFIED_CHARS)} Prove it step by step. ${"y ".repeat(CLASSIFIED_CHARS)}`;
    expect(classify({ text: padded, depth: 1, attachments: 0 }).reasons).not.toContain("math");
    expect(decision.reasons).toContain("long");
    expect(classifiedSlice(long).length).toBeLessThanOrEqual(CLASSIFIED_CHARS + 1);
    expect(classifiedSlice("short")).toBe("short");
  });
});
