// How loaded a model pool is, as its replicas report it: the sum of vLLM's
// `vllm:num_requests_waiting` gauge over the pool's replicas (GET /metrics, Prometheus text).
// The priority gate reads load only through PoolLoadSource, so replica load tracking elsewhere
// (lib/gateway/select-replica.ts) can plug in its own figures with setPoolLoadSource().
import { request } from "undici";
import { getCatalog } from "@/lib/models/catalog";

export type PoolLoadSource = (pool: string) => Promise<number>;

const WAITING = /^vllm:num_requests_waiting(\{[^}]*\})?\s+([0-9.eE+-]+)\s*$/gm;

/**
 * Waiting requests in a /metrics body: the sample whose model_name is `model` when the replica
 * names it, else the sum over every sample (one per model the replica serves).
 */
export function parseWaiting(text: string, model?: string): number {
  let all = 0;
  let mine: number | null = null;
  for (const m of text.matchAll(WAITING)) {
    const v = Number(m[2]) || 0;
    all += v;
    if (model && m[1]?.includes(`model_name="${model}"`)) mine = (mine ?? 0) + v;
  }
  return mine ?? all;
}

const CACHE_MS = 250;
const scraped = new Map<string, { at: number; value: Promise<number> }>();

/** A replica that cannot be scraped (300 ms) counts as not waiting: load shedding must not invent an overload. */
export function replicaWaiting(url: string, model?: string, now = Date.now()): Promise<number> {
  const key = `${url} ${model ?? ""}`;
  const hit = scraped.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = request(`${url.replace(/\/$/, "")}/metrics`, { headersTimeout: 300, bodyTimeout: 300 })
    .then((res) => res.body.text())
    .then((text) => parseWaiting(text, model), () => 0);
  scraped.set(key, { at: now, value });
  return value;
}

export const metricsPoolLoad: PoolLoadSource = async (pool) => {
  const replicas = new Map<string, string | undefined>();
  for (const m of getCatalog().models) {
    for (const p of m.pools) if (p.name === pool) for (const r of p.replicas) replicas.set(r.url, p.upstreamModel);
  }
  const values = await Promise.all([...replicas].map(([url, model]) => replicaWaiting(url, model)));
  return values.reduce((a, b) => a + b, 0);
};

let source: PoolLoadSource = metricsPoolLoad;

export function poolLoadSource(): PoolLoadSource {
  return source;
}

export function setPoolLoadSource(next: PoolLoadSource): void {
  source = next;
}
