// What the gateway knows about each replica (by base URL): its circuit breaker, the requests this
// instance has in flight to it, and the last /metrics scrape. A poller refreshes health and metrics
// about once a second (ROUTER_POLL_MS); it starts with the first replica the router touches and its
// timer never keeps the process alive.
import { request } from "undici";
import { env } from "@/lib/env";
import { CircuitBreaker } from "./breaker";
import { countRoutingEvent } from "./metrics";
import { maxMetric, parsePromText, type Sample, sumMetric } from "./prom-text";
import { processShared } from "@/lib/process-registry";

export interface RemoteLoad {
  samples: Sample[];
  at: number;
}

export class ReplicaState {
  inFlight = 0;
  remote: RemoteLoad | null = null;
  /** When the breaker last opened (for "time to eject" figures). */
  ejections = 0;

  constructor(
    readonly url: string,
    readonly breaker: CircuitBreaker,
  ) {}

  /** Requests waiting in the replica's queue for one served model (all models when undefined). */
  waiting(model?: string): number {
    return this.remote ? (sumMetric(this.remote.samples, "vllm:num_requests_waiting", model) ?? 0) : 0;
  }

  running(model?: string): number {
    return this.remote ? (sumMetric(this.remote.samples, "vllm:num_requests_running", model) ?? 0) : 0;
  }

  cacheUsage(): number {
    return this.remote ? (maxMetric(this.remote.samples, "vllm:gpu_cache_usage_perc") ?? 0) : 0;
  }

  /**
   * The load figure balancing compares. The gateway's own in-flight count is fresh; the scrape is up
   * to a poll old but also sees other gateway instances' requests, so the larger of the two counts,
   * queued requests count once more (they are the ones adding latency), and a nearly full KV cache
   * (which makes vLLM preempt) makes the replica a last resort.
   */
  load(model?: string): number {
    const waiting = this.waiting(model);
    const base = Math.max(this.inFlight, this.running(model) + waiting) + waiting;
    return this.cacheUsage() >= 0.95 ? base + 1_000 : base;
  }
}

interface Registry {
  replicas: Map<string, ReplicaState>;
  timer: NodeJS.Timeout | null;
  polling: boolean;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    routerReplicas: Registry;
  }
}
const registry: Registry = processShared("routerReplicas", () => ({ replicas: new Map(), timer: null, polling: false }));

export function replicaState(url: string): ReplicaState {
  let r = registry.replicas.get(url);
  if (!r) {
    const e = env();
    r = new ReplicaState(url, new CircuitBreaker({ failureThreshold: Math.max(1, e.ROUTER_FAILURE_THRESHOLD), openMs: e.ROUTER_OPEN_MS }));
    registry.replicas.set(url, r);
    ensurePoller();
  }
  return r;
}

export function allReplicas(): ReplicaState[] {
  return [...registry.replicas.values()];
}

function ensurePoller(): void {
  const every = env().ROUTER_POLL_MS;
  if (registry.timer || every <= 0) return;
  registry.timer = setInterval(() => void pollReplicas(), every);
  registry.timer.unref();
}

const base = (url: string) => url.replace(/\/$/, "");

async function probe(r: ReplicaState, timeoutMs: number): Promise<void> {
  const [health, metrics] = await Promise.allSettled([
    request(`${base(r.url)}/health`, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }).then(async (res) => {
      await res.body.dump();
      return res.statusCode === 200;
    }),
    request(`${base(r.url)}/metrics`, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }).then(async (res) => {
      const text = await res.body.text();
      return res.statusCode === 200 ? text : null;
    }),
  ]);
  const wasOpen = r.breaker.state === "open";
  r.breaker.probe(health.status === "fulfilled" && health.value);
  if (!wasOpen && r.breaker.state === "open") {
    r.ejections++;
    countRoutingEvent("eject");
  }
  if (metrics.status === "fulfilled" && metrics.value !== null) r.remote = { samples: parsePromText(metrics.value), at: Date.now() };
}

/** One round of /health and /metrics for every known replica (the poller's tick; tests call it). */
export async function pollReplicas(timeoutMs = 800): Promise<void> {
  if (registry.polling) return;
  registry.polling = true;
  try {
    await Promise.all(allReplicas().map((r) => probe(r, timeoutMs)));
  } finally {
    registry.polling = false;
  }
}

/** Forget every replica (tests; the benchmark between strategies). */
export function resetReplicasForTests(): void {
  if (registry.timer) clearInterval(registry.timer);
  registry.timer = null;
  registry.replicas.clear();
}
