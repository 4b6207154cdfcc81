// GET /api/metrics – Prometheus metrics of this app instance (with METRICS_TOKEN, or from this machine: lib/http/metrics-access.ts)
import { errors } from "@/lib/errors";
import { metricsAllowed } from "@/lib/http/metrics-access";
import { metrics } from "@/lib/metrics/registry";
import { registerReplicaGauges } from "@/lib/metrics/replica-gauges";

export async function GET(req: Request): Promise<Response> {
  if (!metricsAllowed(req)) return errors.notFound("page").toResponse();
  registerReplicaGauges();
  const m = metrics();
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
}
