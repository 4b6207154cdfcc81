// Prometheus metrics of the app (prom-client), shared by every route module of the process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { processShared } from "@/lib/process-registry";

interface AppMetrics {
  registry: Registry;
  replies: Counter<"model" | "finish_reason">;
  ttft: Histogram<"model">;
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
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    replies: new Counter({
      name: "gateway_replies_total",
      help: "Assistant replies ended, by model and finish reason",
      labelNames: ["model", "finish_reason"],
      registers: [registry],
    }),
    ttft: new Histogram({
      name: "gateway_time_to_first_token_seconds",
      help: "From the request entering the gateway to the first token relayed",
      labelNames: ["model"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    persist: new Histogram({
      name: "gateway_persist_seconds",
      help: "Database writes on the reply path: the turn start, checkpoints, the final save with its usage event",
      labelNames: ["step"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
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
