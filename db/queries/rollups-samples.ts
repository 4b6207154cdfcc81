// Per-minute samples of each instance's in-memory figures (metric_samples). A counter's sample adds
// to its minute (several ticks per minute); a gauge's keeps the minute's largest value. Charts read
// them summed (counters) or maxed (gauges) over instances, per time step.
import { sql } from "drizzle-orm";
import { type Executor, resolve } from "./executor";
import { rowsOf, ts } from "./rollups";

export interface Sample {
  name: string;
  value: number;
  kind: "counter" | "gauge";
}

export async function recordSamples(args: { minute: Date; instance: string; samples: Sample[] }, exec?: Executor): Promise<void> {
  const db = await resolve(exec);
  for (const kind of ["counter", "gauge"] as const) {
    const samples = args.samples.filter((s) => s.kind === kind);
    if (samples.length === 0) continue;
    const values = sql.join(
      samples.map((s) => sql`(${s.name}, ${ts(args.minute)}, ${args.instance}, ${s.value}::float8)`),
      sql`, `,
    );
    const merge = kind === "counter" ? sql`metric_samples.value + excluded.value` : sql`greatest(metric_samples.value, excluded.value)`;
    await db.execute(sql`
      insert into metric_samples (name, minute, instance, value) values ${values}
      on conflict (name, minute, instance) do update set value = ${merge}`);
  }
}

export interface SamplePoint {
  t: number;
  name: string;
  value: number;
}

/** Per step: counters summed over instances and minutes; gauges the largest minute (instances summed when sumGauges). */
export async function listSamplePoints(
  args: { from: Date; to: Date; stepSeconds: number; counters: string[]; gauges: string[] },
  exec?: Executor,
): Promise<SamplePoint[]> {
  const db = await resolve(exec);
  const names = [...args.counters, ...args.gauges];
  if (names.length === 0) return [];
  const step = sql.raw(`'${Math.max(60, Math.trunc(args.stepSeconds))} seconds'`);
  const isCounter = args.counters.length ? sql`name in (${sql.join(args.counters.map((c) => sql`${c}`), sql`, `)})` : sql`false`;
  const result = await db.execute(sql`
    with per_minute as (
      select name, minute, case when ${isCounter} then sum(value) else max(value) end as value
      from metric_samples
      where name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) and minute >= ${ts(args.from)} and minute < ${ts(args.to)}
      group by 1, 2
    )
    select (extract(epoch from date_bin(${step}::interval, minute, timestamptz '2000-01-01')) * 1000)::float8 as t, name,
           case when ${isCounter} then sum(value) else max(value) end as value
    from per_minute group by 1, 2 order by 1`);
  return rowsOf<{ t: number; name: string; value: number }>(result).map((r) => ({ t: Number(r.t), name: String(r.name), value: Number(r.value) }));
}

export async function pruneSamples(args: { days: number; now?: Date }, exec?: Executor): Promise<void> {
  const db = await resolve(exec);
  await db.execute(sql`delete from metric_samples where minute < ${ts(new Date((args.now ?? new Date()).getTime() - args.days * 86_400_000))}`);
}
