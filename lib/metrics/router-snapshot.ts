// This instance's view of every pool and replica (from the router's live state: breaker, in-flight
// requests, the last /metrics scrape), for the admin console's Pools page and /api/health/ready.
import { getCatalog } from "@/lib/models/catalog";
import { replicaState, type ReplicaState } from "@/lib/routing/replicas";
import { watchPool } from "@/lib/routing/router";
import { sumMetric } from "@/lib/routing/prom-text";

export interface ReplicaView {
  url: string;
  breaker: "closed" | "half-open" | "open";
  load: number;
  inFlight: number;
  running: number;
  waiting: number;
  /** vllm:gpu_cache_usage_perc, 0–1. */
  kvCacheUsage: number | null;
  /** vllm:prefix_cache_hits_total ÷ queries_total since the replica started, 0–1. */
  prefixCacheHitRate: number | null;
  /** When the replica's /metrics was last read (ms epoch), null before the first scrape. */
  scrapedAt: number | null;
}

export interface PoolView {
  model: string;
  pool: string;
  replicas: ReplicaView[];
}

export interface RouterSnapshot {
  instance: string;
  at: number;
  pools: PoolView[];
}

export function replicaView(r: ReplicaState, upstreamModel?: string): ReplicaView {
  const samples = r.remote?.samples;
  const hits = samples ? sumMetric(samples, "vllm:prefix_cache_hits_total") : undefined;
  const queries = samples ? sumMetric(samples, "vllm:prefix_cache_queries_total") : undefined;
  return {
    url: r.url,
    breaker: r.breaker.state,
    load: r.load(upstreamModel),
    inFlight: r.inFlight,
    running: r.running(upstreamModel),
    waiting: r.waiting(upstreamModel),
    kvCacheUsage: samples ? r.cacheUsage() : null,
    prefixCacheHitRate: hits !== undefined && queries ? hits / queries : null,
    scrapedAt: r.remote?.at ?? null,
  };
}

/** Every catalog pool with its replicas. Registers them with the router, which starts polling them. */
export function routerSnapshot(instance: string): RouterSnapshot {
  const pools: PoolView[] = [];
  for (const model of getCatalog().models) {
    for (const pool of model.pools) {
      watchPool(pool);
      pools.push({ model: model.id, pool: pool.name, replicas: pool.replicas.map((r) => replicaView(replicaState(r.url), pool.upstreamModel)) });
    }
  }
  return { instance, at: Date.now(), pools };
}
