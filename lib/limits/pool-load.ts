// How loaded a model pool is, as its replicas report it: the sum of vLLM's
// `vllm:num_requests_waiting` gauge over the pool's replicas. The router (lib/routing) already polls
// every replica's /metrics about once a second for load balancing, so the priority gate reads the
// same figures rather than scraping a second time. It reads them only through PoolLoadSource, so
// tests can plug in their own with setPoolLoadSource().
import { poolSaturation } from "@/lib/routing/router";

export type PoolLoadSource = (pool: string) => Promise<number>;

export const routerPoolLoad: PoolLoadSource = async (pool) => poolSaturation(pool).waiting;

let source: PoolLoadSource = routerPoolLoad;

export function poolLoadSource(): PoolLoadSource {
  return source;
}

export function setPoolLoadSource(next: PoolLoadSource): void {
  source = next;
}
