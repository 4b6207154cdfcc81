// The Overview's charts over the last hour, day or 30 days, as uPlot-ready columns: one shared time
// axis (seconds) and named series. Everything is read from rollups and samples (never usage_events).
import { type ChartWindow, listCostPerDay, listRollupPoints, type RollupPoint } from "@/db/queries/rollups-charts";
import { listSamplePoints, type SamplePoint } from "@/db/queries/rollups-samples";
import { ROLLUP_TTFT_EDGES_MS } from "@/db/schema";
import { addInto, histogramQuantile } from "./quantile";

export const CHART_RANGES = ["hour", "day", "month"] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

export interface Chart {
  key: string;
  title: string;
  unit: string;
  /** Seconds since the epoch, ascending. */
  t: number[];
  series: { label: string; values: (number | null)[] }[];
}

const RANGES: Record<ChartRange, { spanMs: number; granularity: ChartWindow["granularity"]; stepSeconds: number }> = {
  hour: { spanMs: 3_600_000, granularity: "minute", stepSeconds: 60 },
  day: { spanMs: 86_400_000, granularity: "hour", stepSeconds: 3600 },
  month: { spanMs: 30 * 86_400_000, granularity: "hour", stepSeconds: 6 * 3600 },
};

export function chartWindow(range: ChartRange, now = new Date()): ChartWindow {
  const r = RANGES[range];
  const step = r.stepSeconds * 1000;
  const to = new Date(Math.ceil((now.getTime() + 1) / step) * step);
  return { from: new Date(to.getTime() - r.spanMs), to, granularity: r.granularity, stepSeconds: r.stepSeconds };
}

function axis(w: ChartWindow): number[] {
  const step = w.stepSeconds * 1000;
  const out: number[] = [];
  for (let t = Math.floor(w.from.getTime() / step) * step; t < w.to.getTime(); t += step) out.push(t);
  return out;
}

/** One series per key: f folds the rows of one (step, key) into a value. */
function seriesBy<T extends { t: number }>(ts: number[], rows: T[], keyOf: (r: T) => string, f: (rows: T[]) => number | null) {
  const groups = new Map<string, Map<number, T[]>>();
  for (const r of rows) {
    const k = keyOf(r);
    const byT = groups.get(k) ?? new Map<number, T[]>();
    byT.set(r.t, [...(byT.get(r.t) ?? []), r]);
    groups.set(k, byT);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, byT]) => ({ label, values: ts.map((t) => (byT.has(t) ? f(byT.get(t)!) : null)) }));
}

const quantile = (q: number) => (rows: RollupPoint[]) =>
  histogramQuantile(q, ROLLUP_TTFT_EDGES_MS, rows.reduce<number[]>((acc, r) => addInto(acc, r.ttftHist), []));
const sum = (pick: (r: RollupPoint) => number) => (rows: RollupPoint[]) => rows.reduce((n, r) => n + pick(r), 0);
const ratio = (num: (r: RollupPoint) => number, den: (r: RollupPoint) => number) => (rows: RollupPoint[]) => {
  const d = rows.reduce((n, r) => n + den(r), 0);
  return d ? rows.reduce((n, r) => n + num(r), 0) / d : null;
};

export async function buildCharts(range: ChartRange, now = new Date()): Promise<Chart[]> {
  const w = chartWindow(range, now);
  const ts = axis(w);
  const secs = ts.map((t) => t / 1000);
  const [points, samples, costs] = await Promise.all([
    listRollupPoints(w),
    listSamplePoints({
      ...w,
      counters: ["safety_checks_input", "safety_blocked_input", "safety_checks_output", "safety_blocked_output"],
      gauges: ["queue_depth", "save_p50_ms", "save_p99_ms"],
    }),
    listCostPerDay({ from: new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - Math.max(2, Math.ceil(RANGES[range].spanMs / 86_400_000)) * 86_400_000), to: w.to }),
  ]);
  const sampleSeries = (names: string[], labels: Record<string, string>) =>
    names.map((name) => {
      const byT = new Map(samples.filter((s: SamplePoint) => s.name === name).map((s) => [s.t, s.value]));
      return { label: labels[name] ?? name, values: ts.map((t) => byT.get(t) ?? null) };
    });
  const blockRate = (dir: "input" | "output") => {
    const checks = new Map(samples.filter((s) => s.name === `safety_checks_${dir}`).map((s) => [s.t, s.value]));
    const blocked = new Map(samples.filter((s) => s.name === `safety_blocked_${dir}`).map((s) => [s.t, s.value]));
    return { label: dir, values: ts.map((t) => (checks.get(t) ? (100 * (blocked.get(t) ?? 0)) / checks.get(t)! : null)) };
  };
  // One point per UTC day of the range (at least the last two), so a day without cost is a gap, not a missing axis.
  const DAY = 86_400_000;
  const lastDay = Math.floor(now.getTime() / DAY) * DAY;
  const days = Math.max(2, Math.ceil(RANGES[range].spanMs / DAY));
  const costAxis = Array.from({ length: days }, (_, i) => lastDay - (days - 1 - i) * DAY);
  const costByDay = new Map(costs.map((c) => [c.t, c.costUsd]));
  return [
    {
      key: "ttft",
      title: "TTFT p50 / p99 per model",
      unit: "ms",
      t: secs,
      series: [
        ...seriesBy(ts, points, (p) => `${p.model} p50`, quantile(0.5)),
        ...seriesBy(ts, points, (p) => `${p.model} p99`, quantile(0.99)),
      ],
    },
    { key: "tps", title: "Tokens/s per stream (mean)", unit: "tokens/s", t: secs, series: seriesBy(ts, points, (p) => p.model, ratio((r) => r.tpsSum, (r) => r.tpsCount)) },
    { key: "requests_model", title: "Requests by model", unit: "requests", t: secs, series: seriesBy(ts, points, (p) => p.model, sum((r) => r.requests)) },
    { key: "requests_tier", title: "Requests by tier", unit: "requests", t: secs, series: seriesBy(ts, points, (p) => p.tier, sum((r) => r.requests)) },
    {
      key: "errors",
      title: "Error rate",
      unit: "%",
      t: secs,
      series: seriesBy(ts, points, () => "all models", (rows) => {
        const r = ratio((x) => x.errors, (x) => x.requests)(rows);
        return r === null ? null : 100 * r;
      }),
    },
    { key: "safety", title: "Safety block rate", unit: "%", t: secs, series: [blockRate("input"), blockRate("output")] },
    { key: "queue", title: "Queue depth", unit: "requests", t: secs, series: sampleSeries(["queue_depth"], { queue_depth: "waiting" }) },
    { key: "save", title: "Save latency", unit: "ms", t: secs, series: sampleSeries(["save_p50_ms", "save_p99_ms"], { save_p50_ms: "p50", save_p99_ms: "p99" }) },
    { key: "cost", title: "Cost per day", unit: "USD", t: costAxis.map((t) => t / 1000), series: [{ label: "cost", values: costAxis.map((t) => costByDay.get(t) ?? null) }] },
  ];
}
