// Per-minute and per-hour rollups of usage_events (by model, tier, pool) for the admin charts.
// refreshRollups recomputes whole minutes from the raw rows (replacing what was there), so running it
// twice, from two instances at once, or over a range that was already rolled up gives the same rows;
// the periodic job (lib/metrics/rollup-job.ts) runs it over the newest few minutes. The tier is the
// user's tier when the minute is rolled up (usage_events has no tier column), i.e. within a minute
// or two of the reply.
import { type SQL, sql } from "drizzle-orm";
import { ROLLUP_TTFT_EDGES_MS } from "../schema";
import { type Executor, resolve } from "./executor";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A timestamp parameter both drivers accept in raw SQL (postgres.js does not serialise a Date there). */
export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

const floorTo = (d: Date, ms: number) => new Date(Math.floor(d.getTime() / ms) * ms);

// count(*) filter (…) per TTFT bucket, in edge order, then the overflow bucket.
const histogramSql = sql.raw(
  `array[${ROLLUP_TTFT_EDGES_MS.map((edge, i) => `count(*) filter (where e.ttft_ms ${i === 0 ? "" : `>= ${ROLLUP_TTFT_EDGES_MS[i - 1]} and e.ttft_ms `}< ${edge})`).join(", ")}, count(*) filter (where e.ttft_ms >= ${ROLLUP_TTFT_EDGES_MS.at(-1)})]::int[]`,
);

/**
 * The element-wise sum of ttft_hist over a group, as one aggregate per bucket (array[sum(h[1]), …]):
 * a single pass, where unnest + group by per element cost ten times as much on a day of rows.
 */
export function histogramSumSql(column: string): SQL {
  return sql.raw(`array[${ROLLUP_TTFT_EDGES_MS.map((_, i) => `sum(${column}[${i + 1}])`).join(", ")}, sum(${column}[${ROLLUP_TTFT_EDGES_MS.length + 1}])]::int[]`);
}

/** Recomputes the minute rows of [from, to) (both floored to minutes) and the hour rows they fall in. */
export async function refreshRollups(args: { from: Date; to: Date }, exec?: Executor): Promise<void> {
  const db = await resolve(exec);
  const from = floorTo(args.from, MINUTE_MS);
  const to = new Date(Math.ceil(args.to.getTime() / MINUTE_MS) * MINUTE_MS);
  await db.execute(sql`
    insert into usage_rollups (granularity, bucket, model, tier, pool, requests, errors, prompt_tokens, completion_tokens,
                               cost_usd, ttft_count, ttft_sum_ms, ttft_hist, tps_sum, tps_count)
    select 'minute', date_trunc('minute', e.created_at), e.model, coalesce(u.tier, 'unknown'), coalesce(e.pool, ''),
           count(*), count(*) filter (where e.finish_reason = 'error'),
           coalesce(sum(coalesce(e.prompt_tokens, e.estimated_prompt_tokens)), 0), coalesce(sum(e.completion_tokens), 0),
           coalesce(sum(e.cost_usd), 0)::float8, count(e.ttft_ms), coalesce(sum(e.ttft_ms), 0), ${histogramSql},
           coalesce(sum(x.tps), 0), count(x.tps)
    from usage_events e
    left join users u on u.id = e.user_id
    cross join lateral (
      select case when e.completion_tokens >= 2 and e.latency_ms > e.ttft_ms
                  then (e.completion_tokens - 1) * 1000.0 / (e.latency_ms - e.ttft_ms) end as tps
    ) x
    where e.created_at >= ${ts(from)} and e.created_at < ${ts(to)}
    group by 2, 3, 4, 5
    on conflict (granularity, bucket, model, tier, pool) do update set
      requests = excluded.requests, errors = excluded.errors, prompt_tokens = excluded.prompt_tokens,
      completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd, ttft_count = excluded.ttft_count,
      ttft_sum_ms = excluded.ttft_sum_ms, ttft_hist = excluded.ttft_hist, tps_sum = excluded.tps_sum, tps_count = excluded.tps_count`);
  await refreshHours({ from: floorTo(from, HOUR_MS), to: new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS) }, db);
}

/** Hour rows = the sums of their minute rows (the histogram summed element by element). */
async function refreshHours(args: { from: Date; to: Date }, db: Executor): Promise<void> {
  await db.execute(sql`
    insert into usage_rollups (granularity, bucket, model, tier, pool, requests, errors, prompt_tokens, completion_tokens,
                               cost_usd, ttft_count, ttft_sum_ms, ttft_hist, tps_sum, tps_count)
    select 'hour', date_bin('1 hour', bucket, timestamptz '2000-01-01'), model, tier, pool, sum(requests), sum(errors),
           sum(prompt_tokens), sum(completion_tokens), sum(cost_usd), sum(ttft_count), sum(ttft_sum_ms), ${histogramSumSql("ttft_hist")},
           sum(tps_sum), sum(tps_count)
    from usage_rollups
    where granularity = 'minute' and bucket >= ${ts(args.from)} and bucket < ${ts(args.to)}
    group by 2, 3, 4, 5
    on conflict (granularity, bucket, model, tier, pool) do update set
      requests = excluded.requests, errors = excluded.errors, prompt_tokens = excluded.prompt_tokens,
      completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd, ttft_count = excluded.ttft_count,
      ttft_sum_ms = excluded.ttft_sum_ms, ttft_hist = excluded.ttft_hist, tps_sum = excluded.tps_sum, tps_count = excluded.tps_count`);
}

/** Drops minute rows older than minuteDays and hour rows older than hourDays. Returns rows deleted. */
export async function pruneRollups(args: { minuteDays: number; hourDays: number; now?: Date }, exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const now = args.now ?? new Date();
  const minuteCut = new Date(now.getTime() - args.minuteDays * 86_400_000);
  const hourCut = new Date(now.getTime() - args.hourDays * 86_400_000);
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`
      with d as (
        delete from usage_rollups
        where (granularity = 'minute' and bucket < ${ts(minuteCut)}) or (granularity = 'hour' and bucket < ${ts(hourCut)})
        returning 1
      ) select count(*)::int as n from d`),
  );
  return Number(rows[0]?.n ?? 0);
}
