// Issue 16's history figures: the admin charts' queries over rollups of 10 million usage_events rows
// (p95 ≤ 100 ms each), and the reply save (message UPDATE + usage event, one transaction) with the
// rollup job running (and its BRIN index) against without either (p99 within 10%). Rows are generated in SQL
// (generate_series, 30 days, 1,000 users of mixed tiers, 3 models); the rollups are built by the
// same refreshRollups the job runs. Meant for PostgreSQL (DATABASE_URL: a fresh database is created
// and dropped); on PGlite (in memory) use a small --rows.
//   npx tsx bench/scenarios/admin.ts [--rows=10000000] [--saves=2000]
import { randomUUID } from "node:crypto";
import { createScratchDatabase } from "../scratch-db";
import { percentile } from "../stats";

export const CHART_P95_TARGET_MS = 100;
export const SAVE_P99_RATIO_TARGET = 1.1;

export interface AdminBenchResult {
  driver: string;
  rows: number;
  seedMs: number;
  rollupBuildMs: number;
  rollupRows: number;
  queries: { name: string; p50: number; p95: number }[];
  saves: { withoutJob: { p50: number; p99: number }; withJob: { p50: number; p99: number }; count: number; concurrency: number; jobEveryMs: number };
}

async function timeIt(n: number, f: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
}

export async function adminBench(opts: { rows: number; saves: number; log?: (s: string) => void }): Promise<AdminBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const scratch = await createScratchDatabase("bench_admin");
  const { getDb, closeDb, dbDriver } = await import("@/db/index");
  const { sql } = await import("drizzle-orm");
  const { refreshRollups, rowsOf } = await import("@/db/queries/rollups");
  const { listRollupPoints, listCostPerDay } = await import("@/db/queries/rollups-charts");
  const { listSamplePoints } = await import("@/db/queries/rollups-samples");
  const { chartWindow } = await import("@/lib/metrics/charts");
  const { finishReplyWithUsage } = await import("@/db/queries/usage");
  const { conversations, messages, users } = await import("@/db/schema");
  try {
    const db = await getDb();
    const now = new Date();
    const t0 = performance.now();
    await db.execute(sql`
      insert into users (email, tier)
      select 'admin-bench-' || g || '@bench.test', (array['free','free','free','plus','plus','team','enterprise'])[1 + g % 7]
      from generate_series(1, 1000) g`);
    // In created_at order, as a live system writes them (what the BRIN index relies on).
    const span = 30 * 86_400_000;
    const batch = 1_000_000;
    for (let start = 0; start < opts.rows; start += batch) {
      const n = Math.min(batch, opts.rows - start);
      await db.execute(sql`
        insert into usage_events (user_id, model, pool, replica, prompt_tokens, completion_tokens, latency_ms, ttft_ms, cost_usd, finish_reason, created_at)
        select u.id,
               (array['gpt-4o','gpt-4','gpt-3.5-turbo'])[1 + g % 3], (array['gpt-4o-main','gpt-4-main','gpt-3.5-main'])[1 + g % 3], 'http://10.0.0.1:8000',
               200 + g % 800, 20 + g % 400, 1500 + g % 6000, 80 + (g::bigint * 37) % 900 + case when g % 97 = 0 then 2500 else 0 end,
               ((200 + g % 800) * 2.5 + (20 + g % 400) * 10) / 1e6, case when g % 500 = 0 then 'error' else 'stop' end,
               ${now.toISOString()}::timestamptz - make_interval(secs => (${opts.rows}::int - g)::float8 * ${span / 1000 / opts.rows}::float8)
        from generate_series(${start + 1}::int, ${start + n}::int) g
        join (select id, (row_number() over (order by email) - 1)::int as n from users where email like 'admin-bench-%') u on u.n = (g::bigint * 7919) % 1000
        order by g`);
      log(`  seeded ${(start + n).toLocaleString("en")} usage_events rows`);
    }
    // What autovacuum would have done by now on a live system (it also summarizes the BRIN ranges).
    await db.execute(sql`vacuum analyze usage_events`);
    const seedMs = performance.now() - t0;

    const t1 = performance.now();
    // The backfill: the job's statement over each day (a live system only ever runs it over minutes).
    for (let d = 31; d > 0; d--) {
      await refreshRollups({ from: new Date(now.getTime() - d * 86_400_000), to: new Date(now.getTime() - (d - 1) * 86_400_000 + 60_000) });
    }
    // Retention as the job keeps it: minute rows for the last days, hour rows for longer.
    const { RETENTION } = await import("@/lib/metrics/jobs");
    const { pruneRollups } = await import("@/db/queries/rollups");
    await pruneRollups({ minuteDays: RETENTION.minuteDays, hourDays: RETENTION.hourDays });
    // The backfill wrote 30 days of minute rows and retention deleted all but 3: compact the table to
    // the size a live one has (retention's deletes leave space that new minutes reuse).
    await db.execute(sql`vacuum full analyze usage_rollups`);
    const rollupBuildMs = performance.now() - t1;
    const rollupRows = Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from usage_rollups`))[0].n);
    log(`  rollups built: ${rollupRows.toLocaleString("en")} rows in ${(rollupBuildMs / 1000).toFixed(1)} s`);

    const queries: AdminBenchResult["queries"] = [];
    const samplesArgs = { counters: ["safety_checks_input", "safety_blocked_input"], gauges: ["queue_depth", "save_p99_ms"] };
    for (const range of ["hour", "day", "month"] as const) {
      const w = chartWindow(range, now);
      queries.push({ name: `rollup series, last ${range}`, ...(await timeIt(30, () => listRollupPoints(w))) });
      queries.push({ name: `samples series, last ${range}`, ...(await timeIt(30, () => listSamplePoints({ ...w, ...samplesArgs }))) });
    }
    queries.push({ name: "cost per day, 30 days", ...(await timeIt(30, () => listCostPerDay({ from: new Date(now.getTime() - 31 * 86_400_000), to: now }))) });
    const live = { from: new Date(now.getTime() - 5 * 60_000), to: new Date(now.getTime() + 60_000), granularity: "minute" as const, stepSeconds: 3600 };
    queries.push({ name: "live table (last 5 minutes)", ...(await timeIt(30, () => listRollupPoints(live))) });
    queries.push({ name: "rollup job round (last 3 minutes)", ...(await timeIt(30, () => refreshRollups({ from: new Date(Date.now() - 180_000), to: new Date(Date.now() + 60_000) }))) });
    for (const q of queries) log(`  ${q.name}: p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms`);

    // Saves: streaming assistant messages finished with their usage event, `concurrency` at a time.
    const [user] = await db.insert(users).values({ email: `admin-bench-saver-${randomUUID()}@bench.test` }).returning();
    const [conv] = await db.insert(conversations).values({ userId: user.id, model: "gpt-4o", title: "saves" }).returning();
    const concurrency = 32;
    const jobEveryMs = 1_000;
    const round = async (withJob: boolean, n: number) => {
      const ids = Array.from({ length: n }, () => randomUUID());
      for (let i = 0; i < n; i += 500) {
        await db.insert(messages).values(
          ids.slice(i, i + 500).map((id, k) => ({ id, conversationId: conv.id, role: "assistant" as const, content: "", sequenceNum: i + k })),
        );
      }
      // "Without rollups" is without everything they add: the job, and the BRIN index on usage_events.
      await db.execute(
        withJob
          ? sql`create index if not exists usage_events_created_brin_idx on usage_events using brin (created_at) with (autosummarize = on)`
          : sql`drop index if exists usage_events_created_brin_idx`,
      );
      let stop = false;
      const job = withJob
        ? (async () => {
            while (!stop) {
              await refreshRollups({ from: new Date(Date.now() - 180_000), to: new Date(Date.now() + 60_000) });
              await new Promise((r) => setTimeout(r, jobEveryMs));
            }
          })()
        : Promise.resolve();
      const times: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const id = ids[next++];
            const s = performance.now();
            await finishReplyWithUsage({
              message: { id, content: "A finished reply of a few words.", finishReason: "stop", model: "gpt-4o", ttftMs: 150, latencyMs: 2000 },
              usage: { userId: user.id, conversationId: conv.id, messageId: id, model: "gpt-4o", pool: "gpt-4o-main", promptTokens: 300, completionTokens: 60, latencyMs: 2000, ttftMs: 150, costUsd: 0.0015, finishReason: "stop" },
            });
            times.push(performance.now() - s);
          }
        }),
      );
      stop = true;
      await job;
      return times;
    };
    // Alternating rounds, so drift (autovacuum, cache warmth) falls on both sides.
    const without: number[] = [];
    const withJob: number[] = [];
    const per = Math.max(100, Math.floor(opts.saves / 4));
    for (let r = 0; r < 4; r++) {
      (r % 2 === 0 ? without : withJob).push(...(await round(r % 2 === 1, per)));
      (r % 2 === 0 ? withJob : without).push(...(await round(r % 2 === 0, per)));
    }
    const fig = (t: number[]) => ({ p50: percentile(t, 50), p99: percentile(t, 99) });
    const saves = { withoutJob: fig(without), withJob: fig(withJob), count: without.length + withJob.length, concurrency, jobEveryMs };
    log(`  save p99: ${saves.withoutJob.p99.toFixed(2)} ms without the rollup job, ${saves.withJob.p99.toFixed(2)} ms with it (every ${jobEveryMs} ms)`);
    return { driver: dbDriver() === "postgres" ? "PostgreSQL" : "PGlite", rows: opts.rows, seedMs, rollupBuildMs, rollupRows, queries, saves };
  } finally {
    await closeDb();
    await scratch.drop?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  adminBench({ rows: arg("rows", 10_000_000), saves: arg("saves", 2000) })
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
