// The per-minute samples of what only this instance's memory knows (metric_samples): queue depth,
// live replies, save latency quantiles, safety checks and blocks, replicas' KV-cache usage. Counters
// are sent as the increase since the previous tick.
import type { Sample } from "@/db/queries/rollups-samples";
import { allReplicas } from "@/lib/routing/replicas";
import { histogramQuantile } from "./quantile";
import { metrics } from "./registry";
import { processShared } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    samplePrev: { counters: Map<string, number>; saveBuckets: Map<number, number> };
  }
}

interface Previous {
  counters: Map<string, number>;
  saveBuckets: Map<number, number>;
}

const prev = processShared("samplePrev", (): Previous => ({ counters: new Map(), saveBuckets: new Map() }));

function delta(key: string, total: number): number {
  const before = prev.counters.get(key);
  prev.counters.set(key, total);
  // The first tick after start has no baseline: everything so far counts once.
  return before === undefined ? total : Math.max(0, total - before);
}

/** Save latency (final save with its usage event) p50/p99 in ms over the interval since the last call. */
async function saveQuantiles(): Promise<{ p50: number | null; p99: number | null }> {
  const { values } = await metrics().persist.get();
  const cumulative = new Map<number, number>();
  for (const v of values) {
    if (!v.metricName?.endsWith("_bucket") || v.labels.step !== "finish") continue;
    const raw = (v.labels as Record<string, string | number | undefined>).le;
    const le = raw === "+Inf" ? Infinity : Number(raw);
    cumulative.set(le, (cumulative.get(le) ?? 0) + v.value);
  }
  const les = [...cumulative.keys()].sort((a, b) => a - b);
  const deltas = les.map((le) => Math.max(0, cumulative.get(le)! - (prev.saveBuckets.get(le) ?? 0)));
  for (const le of les) prev.saveBuckets.set(le, cumulative.get(le)!);
  const counts = deltas.map((d, i) => d - (i === 0 ? 0 : deltas[i - 1]));
  const edges = les.filter((le) => le !== Infinity).map((s) => s * 1000);
  return { p50: histogramQuantile(0.5, edges, counts), p99: histogramQuantile(0.99, edges, counts) };
}

export async function collectSamples(): Promise<Sample[]> {
  const m = metrics();
  const out: Sample[] = [];
  const replicas = allReplicas();
  const prioritized = (await m.priorityWaiting.get()).values.reduce((n, v) => n + v.value, 0);
  const upstreamWaiting = replicas.reduce((n, r) => n + r.waiting(), 0);
  out.push({ name: "queue_depth", value: prioritized + upstreamWaiting, kind: "gauge" });
  out.push({ name: "live_replies", value: (await m.liveReplies.get()).values[0]?.value ?? 0, kind: "gauge" });
  const scraped = replicas.filter((r) => r.remote);
  if (scraped.length) out.push({ name: "kv_cache_usage", value: scraped.reduce((n, r) => n + r.cacheUsage(), 0) / scraped.length, kind: "gauge" });
  const save = await saveQuantiles();
  if (save.p50 !== null) out.push({ name: "save_p50_ms", value: save.p50, kind: "gauge" });
  if (save.p99 !== null) out.push({ name: "save_p99_ms", value: save.p99, kind: "gauge" });
  const safety = { input: { checks: 0, blocked: 0 }, output: { checks: 0, blocked: 0 } };
  for (const v of (await m.safetyChecks.get()).values) {
    const d = safety[v.labels.direction as "input" | "output"];
    if (!d) continue;
    d.checks += v.value;
    if (v.labels.action === "blocked") d.blocked += v.value;
  }
  for (const dir of ["input", "output"] as const) {
    out.push({ name: `safety_checks_${dir}`, value: delta(`checks_${dir}`, safety[dir].checks), kind: "counter" });
    out.push({ name: `safety_blocked_${dir}`, value: delta(`blocked_${dir}`, safety[dir].blocked), kind: "counter" });
  }
  return out;
}
