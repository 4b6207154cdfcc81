import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { PriorityGate } from "./priority-gate";

function gate(load: { waiting: number }, opts: Partial<ConstructorParameters<typeof PriorityGate>[0]> = {}) {
  return new PriorityGate({ load: async () => load.waiting, saturatedAt: 1, maxQueue: 3, maxWaitMs: 300, pollMs: 10, ...opts });
}

describe("PriorityGate", () => {
  it("lets everyone through while the pool is not saturated", async () => {
    const g = gate({ waiting: 0 });
    await expect(g.admit("p", "low")).resolves.toBeUndefined();
    await expect(g.admit("p", "high")).resolves.toBeUndefined();
  });

  it("holds low priority while saturated, never high, and releases in order when the pool drains", async () => {
    const load = { waiting: 5 };
    const g = gate(load, { burst: 1 });
    const order: string[] = [];
    const a = g.admit("p", "low").then(() => order.push("a"));
    const b = g.admit("p", "low").then(() => order.push("b"));
    await g.admit("p", "high").then(() => order.push("paid"));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(["paid"]);
    expect(g.waiting("p")).toBe(2);
    load.waiting = 0;
    await Promise.all([a, b]);
    expect(order).toEqual(["paid", "a", "b"]);
  });

  it("sheds with 503 and Retry-After past the deadline, and at once when the queue is full", async () => {
    const g = gate({ waiting: 9 }, { maxQueue: 2, maxWaitMs: 100 });
    const started = Date.now();
    const waiters = [g.admit("p", "low"), g.admit("p", "low")].map((p) => p.catch((e: unknown) => e));
    const full = await g.admit("p", "low").catch((e: unknown) => e);
    expect(full).toBeInstanceOf(AppError);
    expect((full as AppError).status).toBe(503);
    const shed = await Promise.all(waiters);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    for (const e of shed) {
      expect((e as AppError).status).toBe(503);
      expect((e as AppError).headers["Retry-After"]).toBe("1");
    }
    expect(g.waiting("p")).toBe(0);
  });
});
