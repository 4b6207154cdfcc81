// GET /api/metrics – Prometheus metrics of this app instance (with METRICS_TOKEN, or addressed to localhost)
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import { registerReplicaGauges } from "@/lib/metrics/replica-gauges";

function allowed(req: Request): boolean {
  const token = env().METRICS_TOKEN;
  if (token) {
    const given = Buffer.from(req.headers.get("authorization")?.replace(/^Bearer /i, "") ?? "");
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
  // Without a token, only requests addressed to a loopback host. (Next sets x-forwarded-for on every
  // request itself, so it says nothing about the client.) The Host header can be forged by a client
  // that reaches the port directly: the metrics carry counts and timings, no user data; set
  // METRICS_TOKEN wherever the port is reachable from elsewhere.
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(req.headers.get("host") ?? "");
}

export async function GET(req: Request): Promise<Response> {
  if (!allowed(req)) return errors.notFound("page").toResponse();
  registerReplicaGauges();
  const m = metrics();
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
}
