import { describe, expect, it } from "vitest";
import type { Experiment } from "@/lib/models/catalog";
import { assignVariant, experimentFor } from "./experiments";

const experiment: Experiment = {
  name: "temp-test",
  model: "gpt-4o",
  share: 0.3,
  tiers: ["free", "plus"],
  variants: [
    { name: "control", weight: 1 },
    { name: "cooler", weight: 1, temperature: 0.2 },
    { name: "new-pool", weight: 2, pool: "gpt-4o-b" },
  ],
};

/** mulberry32: a fixed-seed PRNG, so the ids (and the test) are the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function uuids(n: number, seed: number): string[] {
  const r = prng(seed);
  const hex = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 16).toString(16)).join("");
  return Array.from({ length: n }, () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`);
}

describe("experiment assignment", () => {
  it("is deterministic and sticky per user", () => {
    for (const id of uuids(50, 1)) {
      expect(assignVariant(id, experiment)?.name).toBe(assignVariant(id, experiment)?.name);
    }
    const [id] = uuids(1, 2);
    const other = { ...experiment, name: "other" };
    // Same user, another experiment: an independent draw (so not always equal across 200 users).
    const ids = uuids(200, 3);
    const same = ids.filter((u) => assignVariant(u, experiment)?.name === assignVariant(u, other)?.name).length;
    expect(same).toBeLessThan(200);
    expect(assignVariant(id, experiment)).toEqual(assignVariant(id, { ...experiment }));
  });

  it("enrols the configured traffic share and splits it by weight (fixed seed, 4σ / χ² p<0.001)", () => {
    const n = 20_000;
    const counts: Record<string, number> = { control: 0, cooler: 0, "new-pool": 0 };
    let enrolled = 0;
    for (const id of uuids(n, 42)) {
      const v = assignVariant(id, experiment);
      if (!v) continue;
      enrolled++;
      counts[v.name]++;
    }
    const sigma = Math.sqrt(n * 0.3 * 0.7);
    expect(Math.abs(enrolled - n * 0.3)).toBeLessThan(4 * sigma);
    const expected = { control: enrolled / 4, cooler: enrolled / 4, "new-pool": enrolled / 2 };
    const chi2 = Object.entries(expected).reduce((s, [k, e]) => s + (counts[k] - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(13.82); // χ²(df=2) at p = 0.001
  });

  it("applies only to its model and eligible tiers; share 0 enrols nobody, share 1 everybody", () => {
    const ids = uuids(100, 7);
    const all = { ...experiment, share: 1 };
    for (const id of ids) {
      expect(experimentFor({ id, tier: "free" }, "gpt-4o", [all])?.experiment).toBe("temp-test");
      expect(experimentFor({ id, tier: "enterprise" }, "gpt-4o", [all])).toBeNull();
      expect(experimentFor({ id, tier: "free" }, "gpt-4", [all])).toBeNull();
      expect(experimentFor({ id, tier: "free" }, "gpt-4o", [{ ...experiment, share: 0 }])).toBeNull();
    }
  });
});
