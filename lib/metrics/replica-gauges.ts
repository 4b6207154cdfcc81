// The replicas' own vLLM gauges, re-exported per replica from the router's last /metrics poll (so one
// scrape of the app shows what each replica reported), plus the breaker and in-flight counts
// already kept in lib/routing/metrics.ts. Read at scrape time; nothing is copied per poll.
import { Gauge } from "prom-client";
import { allReplicas } from "@/lib/routing/replicas";
import { metrics } from "./registry";
import { replicaView, type ReplicaView } from "./router-snapshot";
import { processPeek, processSet } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    replicaGauges: boolean;
  }
}


function gauge(name: string, help: string, pick: (v: ReplicaView) => number | null): void {
  new Gauge({
    name,
    help,
    labelNames: ["replica"],
    registers: [metrics().registry],
    collect() {
      this.reset();
      for (const r of allReplicas()) {
        const value = pick(replicaView(r));
        if (value !== null) this.set({ replica: r.url }, value);
      }
    },
  });
}

export function registerReplicaGauges(): void {
  if (processPeek("replicaGauges")) return;
  processSet("replicaGauges", true);
  gauge("gateway_replica_requests_running", "vllm:num_requests_running reported by the replica (last poll)", (v) => (v.scrapedAt ? v.running : null));
  gauge("gateway_replica_requests_waiting", "vllm:num_requests_waiting reported by the replica (last poll)", (v) => (v.scrapedAt ? v.waiting : null));
  gauge("gateway_replica_kv_cache_usage", "vllm:gpu_cache_usage_perc reported by the replica (0–1, last poll)", (v) => v.kvCacheUsage);
  gauge("gateway_replica_prefix_cache_hit_rate", "Prefix-cache hits ÷ queries reported by the replica since it started (0–1)", (v) => v.prefixCacheHitRate);
}
