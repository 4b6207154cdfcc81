// Routing metrics on the app's registry (GET /api/metrics): retries, fallbacks, ejections, panic
// routing, and per replica its breaker state and this instance's in-flight requests (read on scrape).
import { Counter, Gauge } from "prom-client";
import { metrics } from "@/lib/metrics/registry";
import { allReplicas } from "./replicas";
import { processShared } from "@/lib/process-registry";

export type RoutingEvent = "retry" | "fallback" | "eject" | "panic";

interface RoutingMetrics {
  events: Counter<"event">;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    routingMetrics: RoutingMetrics;
  }
}

function create(): RoutingMetrics {
  const { registry } = metrics();
  const STATE = { closed: 1, "half-open": 0.5, open: 0 } as const;
  new Gauge({
    name: "gateway_replica_up",
    help: "Replica circuit breaker: 1 closed (in rotation), 0.5 half-open (on trial), 0 open (ejected)",
    labelNames: ["replica"],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of allReplicas()) this.set({ replica: r.url }, STATE[r.breaker.state]);
    },
  });
  new Gauge({
    name: "gateway_replica_in_flight",
    help: "Requests this instance has in flight to each replica",
    labelNames: ["replica"],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of allReplicas()) this.set({ replica: r.url }, r.inFlight);
    },
  });
  return {
    events: new Counter({
      name: "gateway_routing_events_total",
      help: "Routing events: retry (before the first token), fallback (another model served), eject (breaker opened), panic (all ejected, routed anyway)",
      labelNames: ["event"],
      registers: [registry],
    }),
  };
}

export function countRoutingEvent(event: RoutingEvent): void {
  processShared("routingMetrics", create).events.inc({ event });
}
