import { describe, expect, it } from "vitest";
import { MemoryWindowLimiter } from "./memory-window";

describe("MemoryWindowLimiter", () => {
  it("admits up to the limit within the window, then frees slots as they age out", () => {
    let now = 1_000;
    const limiter = new MemoryWindowLimiter(3, 10_000, () => now);
    const admitted = [1, 2, 3].map(() => {
      const ok = limiter.take("k").success;
      now += 1_000;
      return ok;
    });
    expect(admitted).toEqual([true, true, true]);
    const refused = limiter.take("k");
    expect(refused).toMatchObject({ success: false, remaining: 0, reset: 11_000 });
    expect(limiter.take("other").success).toBe(true);
    now = 11_000; // the first hit (t=1000) has aged out; the others (2000, 3000) remain
    expect(limiter.take("k")).toMatchObject({ success: true, remaining: 0 });
    expect(limiter.peek("k").success).toBe(false);
    limiter.reset("k");
    expect(limiter.peek("k")).toMatchObject({ success: true, remaining: 3 });
  });
});
