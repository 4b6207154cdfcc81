// Step 6 of the pipeline: catalog model → pool (by tier, or an experiment's variant) → replica
// (healthy per its circuit breaker, then balanced) → the model's fallback when the whole pool is out.
// The gateway holds a Lease per request: in-flight counts for balancing, and the outcome for the breaker.
import { request } from "undici";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { findModel, type CatalogModel, type Pool, type Tier } from "@/lib/models/catalog";
import { chooseReplica, type Strategy } from "./balancer";
import { countRoutingEvent } from "./metrics";
import { allReplicas, replicaState } from "./replicas";
import { processShared } from "@/lib/process-registry";

export interface Target {
  /** The catalog model that answers (differs from the requested one after a fallback). */
  model: string;
  pool: string;
  replica: string;
  upstreamModel: string;
  /** The requested model, when a fallback serves instead. */
  fallbackFrom?: string;
}

export interface RouteOptions {
  /** Same key → same replica while its load allows (the conversation id). */
  affinityKey?: string;
  /** Replicas not to use (a retry excludes the one that failed). */
  exclude?: ReadonlySet<string>;
  /** A pool name chosen by an experiment variant; ignored when the model has no such pool. */
  poolName?: string;
  strategy?: Strategy;
  /** Panic routing: consider ejected replicas too (see pickTarget). */
  ignoreHealth?: boolean;
}

const discovered = new Map<string, Promise<string>>();

/** A pool without upstreamModel serves whatever the replica lists first at /v1/models (one vLLM model). */
function discoverModel(url: string): Promise<string> {
  let p = discovered.get(url);
  if (!p) {
    p = request(`${url.replace(/\/$/, "")}/v1/models`, { headersTimeout: 5_000, bodyTimeout: 5_000 })
      .then((res) => res.body.json() as Promise<{ data?: { id?: string }[] }>)
      .then((json) => {
        const id = json.data?.[0]?.id;
        if (!id) throw new Error("no models listed");
        return id;
      });
    p.catch(() => discovered.delete(url));
    discovered.set(url, p);
  }
  return p;
}

export function poolFor(model: CatalogModel, tier: Tier, poolName?: string): Pool {
  const named = poolName ? model.pools.find((p) => p.name === poolName) : undefined;
  return named ?? model.pools.find((p) => !p.tiers || p.tiers.includes(tier)) ?? model.pools[0];
}

// Process-wide (lib/process-registry.ts): Next's bundle and the app server's own route modules (scripts/server.ts)
// each load this file, and both must see one set of in-flight counts and round-robin positions.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    routerPools: { counters: Map<string, number>; pools: Map<string, PoolStats> };
  }
}
const state = processShared("routerPools", () => ({ counters: new Map(), pools: new Map() }));
const counters = state.counters;
const nextCount = (pool: string) => () => {
  const n = counters.get(pool) ?? 0;
  counters.set(pool, n + 1);
  return n;
};

/** A healthy replica of this pool, or null when every replica is ejected or excluded. */
export function pickReplica(pool: Pool, opts: RouteOptions = {}): string | null {
  const e = env();
  const candidates = pool.replicas
    .filter((r) => !opts.exclude?.has(r.url))
    .map((r) => ({ r, state: replicaState(r.url) }))
    .filter(({ state }) => opts.ignoreHealth || state.breaker.allows())
    .map(({ r, state }) => ({ url: r.url, weight: r.weight, load: state.load(pool.upstreamModel) }));
  if (candidates.length === 0) return null;
  return chooseReplica({
    strategy: opts.strategy ?? e.ROUTER_STRATEGY,
    pool: pool.replicas,
    candidates,
    affinityKey: opts.affinityKey,
    bound: e.ROUTER_AFFINITY_BOUND,
    counter: nextCount(pool.name),
  });
}

/**
 * Routes to the model's pool, else along its fallback chain. When every replica on that chain is
 * ejected, it routes to the model's own pool anyway ("panic mode", as Envoy does below its healthy
 * threshold): an ejection is a guess from recent failures, and refusing all traffic would turn a
 * sick-but-alive single-replica deployment into a full outage until the next probe. 503 only when
 * the excluded replicas leave nothing at all.
 */
export async function pickTarget(model: CatalogModel, tier: Tier, opts: RouteOptions = {}): Promise<Target> {
  const healthy = await pickAlongChain(model, tier, opts);
  if (healthy) {
    if (healthy.fallbackFrom) countRoutingEvent("fallback");
    return healthy;
  }
  const panic = await pickAlongChain(model, tier, { ...opts, ignoreHealth: true }, false);
  if (!panic) noServer();
  countRoutingEvent("panic");
  return panic;
}

function noServer(): never {
  throw errors.upstream("No model server is available right now.", undefined, 503);
}

async function pickAlongChain(model: CatalogModel, tier: Tier, opts: RouteOptions, followFallback = true): Promise<Target | null> {
  const seen = new Set<string>();
  let current: CatalogModel | undefined = model;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (current.pools.length > 0) {
      const pool = poolFor(current, tier, current === model ? opts.poolName : undefined);
      watchPool(pool);
      const replica = pickReplica(pool, opts);
      if (replica) {
        let upstreamModel = pool.upstreamModel;
        if (!upstreamModel) {
          try {
            upstreamModel = await discoverModel(replica);
          } catch (err) {
            throw errors.upstream("The model server is not reachable.", err, 503);
          }
        }
        return {
          model: current.id,
          pool: pool.name,
          replica,
          upstreamModel,
          ...(current === model ? {} : { fallbackFrom: model.id }),
        };
      }
    }
    current = followFallback && current.fallback ? findModel(current.fallback) : undefined;
  }
  return null;
}

export interface Lease {
  /** Report how the request went: ok, failed (counts against the replica), or neutral (cancelled, 4xx). */
  release(outcome: "ok" | "failed" | "neutral"): void;
}

/** Marks a request in flight to target.replica until released; feeds the circuit breaker. */
export function acquire(target: Pick<Target, "replica" | "pool">): Lease {
  const state = replicaState(target.replica);
  state.inFlight++;
  state.breaker.onDispatch();
  const pool = poolStats(target.pool);
  pool.inFlight++;
  let released = false;
  return {
    release(outcome) {
      if (released) return;
      released = true;
      state.inFlight--;
      pool.inFlight--;
      if (outcome === "ok") state.breaker.success();
      else if (outcome === "failed") {
        const wasOpen = state.breaker.state === "open";
        state.breaker.failure();
        if (!wasOpen && state.breaker.state === "open") {
          state.ejections++;
          countRoutingEvent("eject");
        }
      }
    },
  };
}

// ---- Pool saturation (read by the priority queue of issue 7) ----

interface PoolStats {
  inFlight: number;
  replicas: Set<string>;
  upstreamModel?: string;
}
const pools = state.pools;

function poolStats(name: string): PoolStats {
  let s = pools.get(name);
  if (!s) pools.set(name, (s = { inFlight: 0, replicas: new Set() }));
  return s;
}

/** Registers a pool's replicas so saturation can be reported before the first request. */
export function watchPool(pool: Pool): void {
  const s = poolStats(pool.name);
  s.upstreamModel = pool.upstreamModel;
  for (const r of pool.replicas) {
    s.replicas.add(r.url);
    replicaState(r.url);
  }
}

export interface PoolSaturation {
  pool: string;
  /** Requests queued on the pool's replicas (vllm:num_requests_waiting, last scrape). */
  waiting: number;
  running: number;
  /** This gateway instance's requests in flight to the pool. */
  inFlight: number;
  healthyReplicas: number;
  replicas: number;
}

export function poolSaturation(poolName: string): PoolSaturation {
  const s = poolStats(poolName);
  const states = allReplicas().filter((r) => s.replicas.has(r.url));
  return {
    pool: poolName,
    waiting: states.reduce((n, r) => n + r.waiting(s.upstreamModel), 0),
    running: states.reduce((n, r) => n + r.running(s.upstreamModel), 0),
    inFlight: s.inFlight,
    healthyReplicas: states.filter((r) => r.breaker.state !== "open").length,
    replicas: states.length,
  };
}

/** Waiting requests of the pool a model would use for this tier (0 for unknown models). */
export function modelPoolWaiting(modelId: string, tier: Tier): number {
  const model = findModel(modelId);
  if (!model || model.pools.length === 0) return 0;
  const pool = poolFor(model, tier);
  watchPool(pool);
  return poolSaturation(pool.name).waiting;
}

export function resetRouterForTests(): void {
  pools.clear();
  counters.clear();
}
