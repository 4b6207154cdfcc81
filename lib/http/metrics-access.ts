// Who may read GET /api/metrics: a caller with METRICS_TOKEN, or — with no token configured — a
// client on this machine by the socket's address (lib/http/client-ip.ts, which believes proxies only
// when TRUSTED_PROXIES names them). Never the Host header: any client can send `Host: localhost`,
// and a proxy that forwards the host makes every request look local. The metrics name replica URLs.
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { clientIp, isLoopback } from "./client-ip";

export function metricsAllowed(req: Request): boolean {
  const token = env().METRICS_TOKEN;
  if (token) {
    const given = Buffer.from(req.headers.get("authorization")?.replace(/^Bearer /i, "") ?? "");
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
  return isLoopback(clientIp(req.headers));
}
