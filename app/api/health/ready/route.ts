// GET /api/health/ready – readiness: database reachable, migrations applied, a healthy replica per default model (200, else 503)
import { readiness } from "@/lib/metrics/readiness";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const r = await readiness();
  return Response.json({ status: r.ready ? "ready" : "not_ready", checks: r.checks }, { status: r.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
