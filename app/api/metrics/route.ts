// GET /api/metrics – Prometheus metrics of this app instance (only from this machine, or with METRICS_TOKEN)
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";

function allowed(req: Request): boolean {
  const token = env().METRICS_TOKEN;
  if (token) {
    const given = Buffer.from(req.headers.get("authorization")?.replace(/^Bearer /i, "") ?? "");
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
  // Without a token, only requests that did not come through a proxy from elsewhere.
  return !req.headers.get("x-forwarded-for") && /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(req.headers.get("host") ?? "");
}

export async function GET(req: Request): Promise<Response> {
  if (!allowed(req)) return errors.notFound("page").toResponse();
  const m = metrics();
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
}
