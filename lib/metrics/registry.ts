// Prometheus metrics of the app (prom-client), shared by every route module of the process.
// Bucket boundaries sit on the seed's §12 targets and alert thresholds (README "Metrics"), so each
// threshold is a bucket edge and an alert's quantile is read without interpolating across it:
// TTFT p50 < 200 ms (alert > 500 ms), p99 < 1 s (alert > 3 s); tokens/s 30–80 per stream (alert < 15);
// conversation save < 50 ms (alert > 500 ms).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { processShared } from "@/lib/process-registry";

interface AppMetrics {
  registry: Registry;
  replies: Counter<"model" | "tier" | "finish_reason">;
  ttft: Histogram<"model" | "pool">;
  tokenGap: Histogram<"model" | "pool">;
  tokensPerSecond: Histogram<"model" | "pool">;
  upstreamErrors: Counter<"replica" | "kind">;
  priorityWait: Histogram<"pool" | "outcome">;
  dbRoundTrip: Histogram<"driver">;
  redisRoundTrip: Histogram;
  persist: Histogram<"step">;
  liveReplies: Gauge;
  limitStoreErrors: Counter<"policy">;
  limitRejections: Counter<"limit">;
  priorityShed: Counter<"pool">;
  priorityWaiting: Gauge<"pool">;
  safetyChecks: Counter<"model" | "direction" | "action">;
  safetyBlockRate: Gauge<"model" | "direction">;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    appMetrics: AppMetrics;
  }
}

function create(): AppMetrics {
  const registry = new Registry();
  // Process series: event-loop lag, heap, RSS, GC, handles (prom-client's defaults).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    replies: new Counter({
      name: "gateway_replies_total",
      help: "Assistant replies ended, by the model that answered, the user's tier and finish reason",
      labelNames: ["model", "tier", "finish_reason"],
      registers: [registry],
    }),
    ttft: new Histogram({
      name: "gateway_time_to_first_token_seconds",
      help: "From the reply's start in the gateway to its first token, by model and pool",
      labelNames: ["model", "pool"],
      buckets: [0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers: [registry],
    }),
    tokenGap: new Histogram({
      name: "gateway_inter_token_gap_seconds",
      help: "Time between two text deltas of one reply (a delta may carry several tokens), by model and pool",
      labelNames: ["model", "pool"],
      buckets: [0.002, 0.005, 0.01, 0.0125, 0.02, 0.033, 0.05, 0.067, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    tokensPerSecond: new Histogram({
      name: "gateway_stream_tokens_per_second",
      help: "Completion tokens per second of one reply, first token to last (replies of 2+ tokens)",
      labelNames: ["model", "pool"],
      buckets: [5, 10, 15, 20, 30, 40, 50, 60, 80, 100, 150, 250, 500],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: "gateway_upstream_errors_total",
      help: "Upstream attempts that failed, by replica and kind (http_5xx, http_429, http_4xx, first_token_timeout, stream)",
      labelNames: ["replica", "kind"],
      registers: [registry],
    }),
    priorityWait: new Histogram({
      name: "priority_wait_seconds",
      help: "How long low-priority requests waited for a saturated pool, by outcome (admitted, shed)",
      labelNames: ["pool", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    dbRoundTrip: new Histogram({
      name: "db_round_trip_seconds",
      help: "A trivial statement (select 1) sent to the database every few seconds",
      labelNames: ["driver"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    redisRoundTrip: new Histogram({
      name: "redis_round_trip_seconds",
      help: "PING to REDIS_URL every few seconds (absent without Redis)",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    persist: new Histogram({
      name: "gateway_persist_seconds",
      help: "Database writes on the reply path: the turn start, checkpoints, the final save with its usage event",
      labelNames: ["step"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    liveReplies: new Gauge({ name: "gateway_live_replies", help: "Replies being generated on this instance", registers: [registry] }),
    limitStoreErrors: new Counter({
      name: "limits_store_errors_total",
      help: "Limit checks that could not reach Redis and were decided by LIMITS_ON_REDIS_ERROR",
      labelNames: ["policy"],
      registers: [registry],
    }),
    limitRejections: new Counter({
      name: "limits_rejections_total",
      help: "Requests refused (or sent to a fallback model) by a usage limit",
      labelNames: ["limit"],
      registers: [registry],
    }),
    priorityShed: new Counter({
      name: "priority_shed_total",
      help: "Low-priority requests shed with 503 while their model pool was saturated",
      labelNames: ["pool"],
      registers: [registry],
    }),
    priorityWaiting: new Gauge({
      name: "priority_waiting_requests",
      help: "Low-priority requests waiting for a saturated pool on this instance",
      labelNames: ["pool"],
      registers: [registry],
    }),
    safetyChecks: new Counter({
      name: "safety_checks_total",
      help: "Inputs and outputs moderated, by model, direction and action (allowed, warned, redacted, blocked)",
      labelNames: ["model", "direction", "action"],
      registers: [registry],
    }),
    safetyBlockRate: new Gauge({
      name: "safety_block_rate",
      help: "Share of moderated inputs/outputs blocked since the process started, by model and direction",
      labelNames: ["model", "direction"],
      registers: [registry],
    }),
  };
}

export function metrics(): AppMetrics {
  return processShared("appMetrics", create);
}
