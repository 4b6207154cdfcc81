// What the admin charts read: rollup rows summed into time steps, never usage_events itself.
// The last hour reads minute rows (60 per series); the last day and 30 days read hour rows.
import { sql } from "drizzle-orm";
import type { RollupGranularity } from "../schema";
import { type Executor, resolve } from "./executor";
import { histogramSumSql, rowsOf, ts } from "./rollups";

export interface RollupPoint {
  /** Step start, ms epoch. */
  t: number;
  model: string;
  tier: string;
  requests: number;
  errors: number;
  completionTokens: number;
  costUsd: number;
  ttftCount: number;
  ttftSumMs: number;
  ttftHist: number[];
  tpsSum: number;
  tpsCount: number;
}

export interface ChartWindow {
  from: Date;
  to: Date;
  granularity: RollupGranularity;
  stepSeconds: number;
}

/** Rollup sums per (step, model, tier) over the window. */
export async function listRollupPoints(w: ChartWindow, exec?: Executor): Promise<RollupPoint[]> {
  const db = await resolve(exec);
  const step = sql.raw(`'${Math.max(60, Math.trunc(w.stepSeconds))} seconds'`);
  const result = await db.execute(sql`
    select (extract(epoch from date_bin(${step}::interval, bucket, timestamptz '2000-01-01')) * 1000)::float8 as t, model, tier,
           sum(requests)::int as requests, sum(errors)::int as errors, sum(completion_tokens)::float8 as completion_tokens,
           sum(cost_usd) as cost_usd, sum(ttft_count)::int as ttft_count, sum(ttft_sum_ms)::float8 as ttft_sum_ms,
           sum(tps_sum) as tps_sum, sum(tps_count)::int as tps_count, ${histogramSumSql("ttft_hist")} as ttft_hist
    from usage_rollups
    where granularity = ${w.granularity} and bucket >= ${ts(w.from)} and bucket < ${ts(w.to)}
    group by 1, 2, 3
    order by 1`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    t: Number(r.t),
    model: String(r.model),
    tier: String(r.tier),
    requests: Number(r.requests),
    errors: Number(r.errors),
    completionTokens: Number(r.completion_tokens),
    costUsd: Number(r.cost_usd),
    ttftCount: Number(r.ttft_count),
    ttftSumMs: Number(r.ttft_sum_ms),
    ttftHist: (r.ttft_hist as (number | string)[]).map(Number),
    tpsSum: Number(r.tps_sum),
    tpsCount: Number(r.tps_count),
  }));
}

/** Cost per UTC day over the window (hour rows). */
export async function listCostPerDay(args: { from: Date; to: Date }, exec?: Executor): Promise<{ t: number; costUsd: number }[]> {
  const db = await resolve(exec);
  const result = await db.execute(sql`
    select (extract(epoch from date_bin('1 day', bucket, timestamptz '2000-01-01')) * 1000)::float8 as t, sum(cost_usd) as cost
    from usage_rollups where granularity = 'hour' and bucket >= ${ts(args.from)} and bucket < ${ts(args.to)}
    group by 1 order by 1`);
  return rowsOf<{ t: number; cost: number }>(result).map((r) => ({ t: Number(r.t), costUsd: Number(r.cost) }));
}
