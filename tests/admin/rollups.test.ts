// Rollups against the raw rows they summarise: minute and hour rows equal a direct aggregate of
// usage_events, recomputing is idempotent and picks up late rows, chart points and quantiles come out
// of them, and retention drops old rows. Real database (PGlite, or PostgreSQL with DATABASE_URL).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { insertUsageEvent } from "@/db/queries/usage";
import { pruneRollups, refreshRollups, rowsOf } from "@/db/queries/rollups";
import { listCostPerDay, listRollupPoints } from "@/db/queries/rollups-charts";
import { users } from "@/db/schema";
import { newUser } from "@/db/test/helpers";
import { histogramQuantile } from "@/lib/metrics/quantile";
import { ROLLUP_TTFT_EDGES_MS } from "@/db/schema";

afterAll(() => closeDb());

// A far-away hour of its own (every test run uses another), so rows of other tests never mix in.
const base = new Date(Date.UTC(2031, 0, 1 + Math.floor(Math.random() * 300), 10, 0, 0));
const at = (minute: number, second = 0) => new Date(base.getTime() + minute * 60_000 + second * 1000);
const model = `m-${randomUUID().slice(0, 8)}`;

async function rollupRows(granularity: string) {
  const db = await getDb();
  return rowsOf<Record<string, unknown>>(
    await db.execute(sql`select * from usage_rollups where model = ${model} and granularity = ${granularity} order by bucket, tier`),
  );
}

describe("usage rollups", () => {
  it("minute and hour rows equal the raw rows, by model, tier and pool; recomputing is idempotent", async () => {
    const plus = await newUser();
    const db = await getDb();
    await db.update(users).set({ tier: "plus" }).where(eq(users.id, plus.id));
    const free = await newUser();
    const event = (userId: string, createdAt: Date, ttftMs: number, finishReason = "stop") =>
      insertUsageEvent({
        userId,
        model,
        pool: "p1",
        promptTokens: 100,
        completionTokens: 51,
        latencyMs: ttftMs + 1000,
        ttftMs,
        costUsd: 0.001,
        finishReason,
        createdAt,
      });
    await event(plus.id, at(0, 5), 120);
    await event(plus.id, at(0, 50), 180);
    await event(free.id, at(0, 30), 600, "error");
    await event(free.id, at(1, 10), 2500);

    await refreshRollups({ from: at(0), to: at(2) });
    await refreshRollups({ from: at(0), to: at(2) });
    const minutes = await rollupRows("minute");
    expect(minutes.map((r) => [new Date(r.bucket as string).toISOString(), r.tier, Number(r.requests), Number(r.errors)])).toEqual([
      [at(0).toISOString(), "free", 1, 1],
      [at(0).toISOString(), "plus", 2, 0],
      [at(1).toISOString(), "free", 1, 0],
    ]);
    const plusMinute = minutes.find((r) => r.tier === "plus")!;
    expect(Number(plusMinute.ttft_sum_ms)).toBe(300);
    expect(Number(plusMinute.completion_tokens)).toBe(102);
    expect(Number(plusMinute.cost_usd)).toBeCloseTo(0.002, 9);
    // 50 tokens after the first in 1 s: 50 tokens/s each.
    expect(Number(plusMinute.tps_sum) / Number(plusMinute.tps_count)).toBeCloseTo(50, 6);
    // 120 and 180 ms fall in the [100,150) and [150,200) buckets.
    expect((plusMinute.ttft_hist as number[]).map(Number).slice(0, 5)).toEqual([0, 0, 1, 1, 0]);

    const hours = await rollupRows("hour");
    expect(hours.map((r) => [r.tier, Number(r.requests)])).toEqual([
      ["free", 2],
      ["plus", 2],
    ]);

    // A row that commits late, inside the look-back: the next round replaces the minute, not adds to it.
    await event(plus.id, at(0, 59), 140);
    await refreshRollups({ from: at(0), to: at(2) });
    expect(Number((await rollupRows("minute")).find((r) => r.tier === "plus")!.requests)).toBe(3);
    expect(Number((await rollupRows("hour")).find((r) => r.tier === "plus")!.requests)).toBe(3);
  });

  it("chart points merge tiers' histograms into quantiles, and cost per day sums hours", async () => {
    const points = (await listRollupPoints({ from: at(0), to: at(60), granularity: "minute", stepSeconds: 3600 })).filter((p) => p.model === model);
    const hist = points.reduce<number[]>((acc, p) => p.ttftHist.map((n, i) => n + (acc[i] ?? 0)), []);
    expect(hist.reduce((a, b) => a + b, 0)).toBe(5);
    const p50 = histogramQuantile(0.5, ROLLUP_TTFT_EDGES_MS, hist)!;
    expect(p50).toBeGreaterThanOrEqual(150);
    expect(p50).toBeLessThan(200);
    expect(histogramQuantile(0.99, ROLLUP_TTFT_EDGES_MS, hist)).toBeGreaterThanOrEqual(2000);
    const day = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate()));
    const cost = await listCostPerDay({ from: day, to: new Date(day.getTime() + 86_400_000) });
    expect(cost.find((c) => c.t === day.getTime())?.costUsd).toBeGreaterThanOrEqual(0.005 - 1e-9);
  });

  it("retention drops minute rows after their window and keeps hour rows", async () => {
    await pruneRollups({ minuteDays: 3, hourDays: 400, now: new Date(base.getTime() + 4 * 86_400_000) });
    expect(await rollupRows("minute")).toEqual([]);
    expect((await rollupRows("hour")).length).toBe(2);
  });
});
