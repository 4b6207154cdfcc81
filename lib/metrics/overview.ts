// The Overview's live table: each §12 metric now. Reply figures come from the newest minutes of the
// rollups (every instance's replies), what lives in memory from the per-minute samples (every
// instance) or, for what the replicas report, from the router views (every instance, via Redis).
import { listRollupPoints } from "@/db/queries/rollups-charts";
import { listSamplePoints } from "@/db/queries/rollups-samples";
import { ROLLUP_TTFT_EDGES_MS } from "@/db/schema";
import { addInto, histogramQuantile } from "./quantile";
import { readRouterViews } from "./router-views";
import { judge, SEED_TARGETS, type Judgement } from "./targets";

/** The window "now" covers: long enough to hold a few replies on a quiet instance. */
export const LIVE_WINDOW_MS = 5 * 60_000;

export interface LiveRow {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  target: string;
  alert: string;
  status: Judgement;
  note?: string;
}

export interface LiveOverview {
  at: number;
  windowMinutes: number;
  requests: number;
  rows: LiveRow[];
}

export async function liveOverview(now = new Date()): Promise<LiveOverview> {
  const from = new Date(now.getTime() - LIVE_WINDOW_MS);
  const to = new Date(now.getTime() + 60_000);
  const [points, samples, views] = await Promise.all([
    listRollupPoints({ from, to, granularity: "minute", stepSeconds: 3600 }),
    listSamplePoints({
      from,
      to,
      stepSeconds: 3600,
      counters: ["safety_checks_input", "safety_blocked_input", "safety_checks_output", "safety_blocked_output"],
      gauges: ["save_p99_ms", "queue_depth"],
    }),
    readRouterViews(),
  ]);
  const hist: number[] = [];
  let requests = 0;
  let errors = 0;
  let tpsSum = 0;
  let tpsCount = 0;
  for (const p of points) {
    addInto(hist, p.ttftHist);
    requests += p.requests;
    errors += p.errors;
    tpsSum += p.tpsSum;
    tpsCount += p.tpsCount;
  }
  const sample = (name: string) => {
    const hits = samples.filter((s) => s.name === name);
    return hits.length ? hits.reduce((n, s) => (name.startsWith("safety") ? n + s.value : Math.max(n, s.value)), 0) : null;
  };
  const checks = (sample("safety_checks_input") ?? 0) + (sample("safety_checks_output") ?? 0);
  const blocked = (sample("safety_blocked_input") ?? 0) + (sample("safety_blocked_output") ?? 0);
  // The replicas' figures are the same whoever scraped them: take the freshest view of each replica.
  const replicas = new Map<string, { waiting: number; kv: number | null; at: number }>();
  for (const view of views)
    for (const pool of view.pools)
      for (const r of pool.replicas) {
        const seen = replicas.get(r.url);
        if (!seen || (r.scrapedAt ?? 0) > seen.at) replicas.set(r.url, { waiting: r.waiting, kv: r.kvCacheUsage, at: r.scrapedAt ?? 0 });
      }
  const kv = [...replicas.values()].flatMap((r) => (r.kv === null ? [] : [r.kv]));
  const upstreamWaiting = [...replicas.values()].reduce((n, r) => n + r.waiting, 0);
  const values: Record<string, number | null> = {
    ttft_p50: histogramQuantile(0.5, ROLLUP_TTFT_EDGES_MS, hist),
    ttft_p99: histogramQuantile(0.99, ROLLUP_TTFT_EDGES_MS, hist),
    tokens_per_s: tpsCount ? tpsSum / tpsCount : null,
    gpu_utilization: kv.length ? (100 * kv.reduce((a, b) => a + b, 0)) / kv.length : null,
    error_rate: requests ? (100 * errors) / requests : null,
    safety_block_rate: checks ? (100 * blocked) / checks : null,
    queue_depth: Math.max(upstreamWaiting, sample("queue_depth") ?? 0),
    save_latency: sample("save_p99_ms"),
  };
  const notes: Record<string, string> = {
    gpu_utilization: "KV-cache usage reported by vLLM (vllm:gpu_cache_usage_perc); for SM utilization scrape DCGM",
    save_latency: "p99 of the final save (reply + usage event)",
    tokens_per_s: "mean per stream",
    queue_depth: "requests waiting on replicas and in the priority queue",
  };
  return {
    at: now.getTime(),
    windowMinutes: LIVE_WINDOW_MS / 60_000,
    requests,
    rows: SEED_TARGETS.map((t) => ({
      key: t.key,
      label: t.label,
      value: values[t.key] ?? null,
      unit: t.unit,
      target: t.target,
      alert: t.alert,
      status: judge(t, values[t.key] ?? null),
      ...(notes[t.key] ? { note: notes[t.key] } : {}),
    })),
  };
}
