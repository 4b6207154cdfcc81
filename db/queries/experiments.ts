// Per-variant figures of the A/B experiments for the admin page: from the usage ledger (every reply
// records its experiment and variant), joined to the reply's feedback vote and whether the user
// regenerated it (a later assistant sibling under the same user message).
import { sql } from "drizzle-orm";
import { type Executor, resolve } from "./executor";

export interface VariantStatsRow {
  experiment: string;
  variant: string;
  requests: number;
  ttftP50Ms: number | null;
  ttftP99Ms: number | null;
  tokensPerReply: number | null;
  costUsd: number;
  good: number;
  bad: number;
  regenerated: number;
}

/** Replies of the last `days` days. */
export async function listExperimentVariantStats(args: { days: number }, exec?: Executor): Promise<VariantStatsRow[]> {
  const db = await resolve(exec);
  const result = (await db.execute(sql`
    select u.experiment, u.variant,
           count(*)::int as requests,
           percentile_cont(0.5) within group (order by u.ttft_ms) as ttft_p50,
           percentile_cont(0.99) within group (order by u.ttft_ms) as ttft_p99,
           avg(u.completion_tokens)::float8 as tokens_per_reply,
           coalesce(sum(u.cost_usd), 0)::float8 as cost_usd,
           count(*) filter (where f.rating = 'good')::int as good,
           count(*) filter (where f.rating = 'bad')::int as bad,
           count(*) filter (where exists (
             select 1 from messages r
              where r.parent_id = m.parent_id and r.role = 'assistant' and r.id <> m.id and r.created_at > m.created_at
           ))::int as regenerated
      from usage_events u
      left join messages m on m.id = u.message_id
      left join feedback f on f.message_id = u.message_id and f.user_id = u.user_id
     where u.experiment is not null and u.variant is not null and u.created_at >= now() - make_interval(days => ${Math.max(1, Math.trunc(args.days))}::int)
     group by u.experiment, u.variant
     order by u.experiment, u.variant`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    experiment: String(r.experiment),
    variant: String(r.variant),
    requests: Number(r.requests),
    ttftP50Ms: num(r.ttft_p50),
    ttftP99Ms: num(r.ttft_p99),
    tokensPerReply: num(r.tokens_per_reply),
    costUsd: Number(r.cost_usd),
    good: Number(r.good),
    bad: Number(r.bad),
    regenerated: Number(r.regenerated),
  }));
}
