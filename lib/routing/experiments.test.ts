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
  it("is deterministic and sticky per user: the same users get the same variants in every process and release", () => {
    // Recorded once from the shipped hash. Comparing a call with a second call in the same process
    // could not fail; a changed hash, key or weighting would silently move users between variants
    // (and their metrics between arms) on the next deploy, and this table catches that.
    const recorded: Record<string, string | null> = {
      "00000000-0000-4000-8000-000000000000": null,
      "11111111-1111-4111-8111-111111111111": "cooler",
      "22222222-2222-4222-8222-222222222222": null,
      "33333333-3333-4333-8333-333333333333": "control",
      "44444444-4444-4444-8444-444444444444": null,
      "55555555-5555-4555-8555-555555555555": "new-pool",
      "66666666-6666-4666-8666-666666666666": "new-pool",
      "77777777-7777-4777-8777-777777777777": null,
      "88888888-8888-4888-8888-888888888888": "new-pool",
      "99999999-9999-4999-8999-999999999999": null,
      "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa": null,
      "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb": "control",
      "cccccccc-cccc-4ccc-8ccc-cccccccccccc": null,
      "dddddddd-dddd-4ddd-8ddd-dddddddddddd": null,
      "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee": "cooler",
      "ffffffff-ffff-4fff-8fff-ffffffffffff": "new-pool",
    };
    for (const [userId, variant] of Object.entries(recorded)) expect([userId, assignVariant(userId, experiment)?.name ?? null]).toEqual([userId, variant]);
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
