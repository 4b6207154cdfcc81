import { describe, expect, it } from "vitest";
import { classify } from "./cascade";
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
