import { describe, expect, it } from "vitest";
import { normalCdf, twoProportionZTest } from "./stats";

describe("two-proportion z-test", () => {
  it("matches textbook values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    // 60/100 vs 45/100: pooled 0.525, z ≈ 2.124, p ≈ 0.0337
    const t = twoProportionZTest(60, 100, 45, 100)!;
    expect(t.z).toBeCloseTo(2.124, 2);
    expect(t.p).toBeCloseTo(0.0337, 3);
  });

  it("is symmetric and undefined for empty or degenerate samples", () => {
    const a = twoProportionZTest(30, 50, 20, 50)!;
    const b = twoProportionZTest(20, 50, 30, 50)!;
    expect(a.z).toBeCloseTo(-b.z, 10);
    expect(a.p).toBeCloseTo(b.p, 10);
    expect(twoProportionZTest(1, 0, 1, 2)).toBeNull();
    expect(twoProportionZTest(5, 5, 7, 7)).toBeNull();
  });
});
