import { describe, expect, it } from "vitest";
import { chooseReplica, preferenceOrder, type Candidate } from "./balancer";

const POOL = ["http://r1", "http://r2", "http://r3", "http://r4"].map((url) => ({ url, weight: 1 }));
const idle = (): Candidate[] => POOL.map((r) => ({ ...r, load: 0 }));
const counter = () => {
  let n = 0;
  return () => n++;
};

describe("chooseReplica", () => {
  it("round-robin cycles over the candidates", () => {
    const next = counter();
    const picks = Array.from({ length: 8 }, () => chooseReplica({ strategy: "round-robin", pool: POOL, candidates: idle(), bound: 1.25, counter: next }));
    expect(picks).toEqual([...POOL, ...POOL].map((r) => r.url));
  });

  it("least-load takes the smallest load per weight", () => {
    const c = idle().map((r, i) => ({ ...r, load: [5, 2, 9, 3][i] }));
    expect(chooseReplica({ strategy: "least-load", pool: POOL, candidates: c, bound: 1.25, counter: counter() })).toBe("http://r2");
    c[3].weight = 2; // 3 / 2 < 2 / 1
    expect(chooseReplica({ strategy: "least-load", pool: POOL, candidates: c, bound: 1.25, counter: counter() })).toBe("http://r4");
  });

  it("affinity keeps a conversation on one replica and spreads conversations over all of them", () => {
    const home = new Map<string, string>();
    for (let i = 0; i < 400; i++) {
      const key = `conv-${i}`;
      const first = chooseReplica({ strategy: "affinity", pool: POOL, candidates: idle(), affinityKey: key, bound: 1.25, counter: counter() });
      const again = chooseReplica({ strategy: "affinity", pool: POOL, candidates: idle(), affinityKey: key, bound: 1.25, counter: counter() });
      expect(again).toBe(first);
      home.set(key, first);
    }
    const counts = POOL.map((r) => [...home.values()].filter((u) => u === r.url).length);
    for (const n of counts) expect(n).toBeGreaterThan(50); // 100 expected each with 64 virtual nodes
  });

  it("affinity sheds to the next replica on the ring when the home replica exceeds the load bound", () => {
    const key = "conv-hot";
    const order = preferenceOrder(key, POOL);
    const loads = (home: number) => idle().map((c) => ({ ...c, load: c.url === order[0] ? home : 2 }));
    const pick = (home: number) =>
      chooseReplica({ strategy: "affinity", pool: POOL, candidates: loads(home), affinityKey: key, bound: 1.25, counter: counter() });
    // Others at 2: home 3 → capacity ceil(1.25 × (9 + 1) / 4) = 4 ≥ 3 + 1, stays;
    // home 4 → capacity ceil(1.25 × 11 / 4) = 4 < 4 + 1, spills to the next replica on the ring.
    expect(pick(2)).toBe(order[0]);
    expect(pick(3)).toBe(order[0]);
    expect(pick(4)).toBe(order[1]);
    expect(pick(20)).toBe(order[1]);
  });

  it("affinity skips an ejected replica without moving other conversations", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    const before = keys.map((k) => chooseReplica({ strategy: "affinity", pool: POOL, candidates: idle(), affinityKey: k, bound: 1.25, counter: counter() }));
    const without = idle().filter((c) => c.url !== "http://r2");
    const after = keys.map((k) => chooseReplica({ strategy: "affinity", pool: POOL, candidates: without, affinityKey: k, bound: 1.25, counter: counter() }));
    keys.forEach((_, i) => {
      if (before[i] !== "http://r2") expect(after[i]).toBe(before[i]);
      else expect(after[i]).not.toBe("http://r2");
    });
  });
});
