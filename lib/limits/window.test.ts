import { describe, expect, it } from "vitest";
import { MemoryCounters, memoryWindow } from "./window";

const HOUR = 3_600_000;

describe("in-process sliding window (same arithmetic as @upstash/ratelimit's script)", () => {
  it("admits exactly the limit, then refuses until the window turns over", async () => {
    let now = 10 * HOUR; // the start of a window
    const l = memoryWindow({ kind: "sliding", limit: 3, windowMs: HOUR }, new MemoryCounters(() => now), () => now);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await l.limit("u"));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(results[2].remaining).toBe(0);
    expect(results[3].reset).toBe(11 * HOUR);

    // Just after the boundary the previous window still weighs in fully: floor(0.999… × 3) = 2 used.
    now = 11 * HOUR + 1;
    expect((await l.limit("u")).success).toBe(true);
    expect((await l.limit("u")).success).toBe(false);
    // Two windows later nothing is left of it.
    now = 13 * HOUR;
    const fresh = await l.peek("u");
    expect(fresh).toMatchObject({ success: true, remaining: 3 });
  });

  it("keeps users apart and lets a refund (negative rate) give a slot back", async () => {
    const now = 5 * HOUR;
    const l = memoryWindow({ kind: "sliding", limit: 1, windowMs: HOUR }, new MemoryCounters(() => now), () => now);
    expect((await l.limit("a")).success).toBe(true);
    expect((await l.limit("b")).success).toBe(true);
    expect((await l.limit("a")).success).toBe(false);
    await l.limit("a", -1);
    expect((await l.limit("a")).success).toBe(true);
  });
});

describe("in-process fixed window (tokens per day)", () => {
  it("counts weighted amounts and starts again at the next UTC day", async () => {
    const DAY = 24 * HOUR;
    let now = Date.UTC(2026, 0, 31, 23, 0);
    const tokens = memoryWindow({ kind: "fixed", limit: 1_000, windowMs: DAY }, new MemoryCounters(() => now), () => now);
    expect(await tokens.limit("u", 600)).toMatchObject({ success: true, remaining: 400 });
    expect(await tokens.limit("u", 600)).toMatchObject({ success: false, remaining: 0, reset: Date.UTC(2026, 1, 1) });
    expect((await tokens.peek("u")).success).toBe(false);
    now = Date.UTC(2026, 1, 1, 0, 0, 1);
    expect(await tokens.peek("u")).toMatchObject({ success: true, remaining: 1_000 });
  });
});
