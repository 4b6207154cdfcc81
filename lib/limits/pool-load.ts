// How loaded a model pool is, as its replicas report it: the sum of vLLM's
// `vllm:num_requests_waiting` gauge over the pool's replicas (GET /metrics, Prometheus text).
// The priority gate reads load only through PoolLoadSource, so replica load tracking elsewhere
// (lib/gateway/select-replica.ts) can plug in its own figures with setPoolLoadSource().
import { request } from "undici";
import { getCatalog } from "@/lib/models/catalog";

export type PoolLoadSource = (pool: string) => Promise<number>;

const WAITING = /^vllm:num_requests_waiting(?:\{[^}]*\})?\s+([0-9.eE+-]+)\s*$/gm;

/** Sums every vllm:num_requests_waiting sample (one per served model) in a /metrics body. */
export function parseWaiting(text: string): number {
  let sum = 0;
  for (const m of text.matchAll(WAITING)) sum += Number(m[1]) || 0;
  return sum;
}

const CACHE_MS = 250;
const scraped = new Map<string, { at: number; value: Promise<number> }>();

/** A replica that cannot be scraped counts as not waiting: load shedding must not invent an overload. */
export function replicaWaiting(url: string, now = Date.now()): Promise<number> {
  const hit = scraped.get(url);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = request(`${url.replace(/\/$/, "")}/metrics`, { headersTimeout: 1_000, bodyTimeout: 1_000 })
    .then((res) => res.body.text())
    .then(parseWaiting, () => 0);
  scraped.set(url, { at: now, value });
  return value;
}

export const metricsPoolLoad: PoolLoadSource = async (pool) => {
  const urls = new Set<string>();
  for (const m of getCatalog().models) for (const p of m.pools) if (p.name === pool) for (const r of p.replicas) urls.add(r.url);
  const values = await Promise.all([...urls].map((u) => replicaWaiting(u)));
  return values.reduce((a, b) => a + b, 0);
};

let source: PoolLoadSource = metricsPoolLoad;

export function poolLoadSource(): PoolLoadSource {
  return source;
}

export function setPoolLoadSource(next: PoolLoadSource): void {
  source = next;
}
