// The admin console's server side over real HTTP (the app server's production adapter, serveRoute):
// admin routes answer 404 to everyone but admins, the metrics exposition carries the dashboard's
// series after a real reply, every response has a request id (also inside error bodies), readiness
// sees the database and the simulator, and disabling an account rejects its open session and its
// API key on the very next request. Real database, real inference simulator.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { changeUserByAdmin } from "@/db/queries/admin-users";
import { listAdminAudit } from "@/db/queries/audit-log";
import { users } from "@/db/schema";
import type { InferenceServer } from "@/inference/server";
import type { RouteHandler } from "@/lib/http/node-adapter";
import { newUser, startSimulator, waitFor } from "../support/gateway-harness";

const SECRET = "admin-console-test-secret-0123456789abcdef";
const METRICS_TOKEN = "metrics-token-for-tests-0123";
const COOKIE = "authjs.session-token";

let sim: InferenceServer;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: SECRET, METRICS_TOKEN, LOG_LEVEL: "silent" });
  const [{ serveRoute }, overview, charts, pools, metricsRoute, ready, live, models, chat] = await Promise.all([
    import("@/lib/http/node-adapter"),
    import("@/app/api/admin/overview/route"),
    import("@/app/api/admin/charts/route"),
    import("@/app/api/admin/pools/route"),
    import("@/app/api/metrics/route"),
    import("@/app/api/health/ready/route"),
    import("@/app/api/health/live/route"),
    import("@/app/v1/models/route"),
    import("@/app/api/chat/route"),
  ]);
  const routes: Record<string, RouteHandler> = {
    "GET /api/admin/overview": overview.GET as RouteHandler,
    "GET /api/admin/charts": charts.GET as RouteHandler,
    "GET /api/admin/pools": pools.GET as RouteHandler,
    "GET /api/metrics": metricsRoute.GET as RouteHandler,
    "GET /api/health/ready": ready.GET as RouteHandler,
    "GET /api/health/live": live.GET as RouteHandler,
    "GET /v1/models": models.GET as RouteHandler,
    "POST /api/chat": chat.POST as RouteHandler,
  };
  server = http.createServer((req, res) => {
    const handler = routes[`${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`];
    if (!handler) return void res.writeHead(404).end();
    void serveRoute(handler, {}, req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await sim?.close();
});

async function signedIn(role: "user" | "admin" = "user") {
  const { openServerSession } = await import("@/lib/auth/server-session");
  const user = await newUser();
  if (role === "admin") await (await getDb()).update(users).set({ role: "admin" }).where(eq(users.id, user.id));
  const sid = await openServerSession(user.id);
  const token = await encode({ token: { sub: user.id, sid }, secret: SECRET, salt: COOKIE });
  return { user, cookie: `${COOKIE}=${token}` };
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

describe("admin console over HTTP", () => {
  it("admin routes are 404 for guests, signed-out clients and non-admins; 200 for admins", async () => {
    const plain = await signedIn();
    const admin = await signedIn("admin");
    for (const path of ["/api/admin/overview", "/api/admin/charts?range=day", "/api/admin/pools"]) {
      expect((await get(path)).status, path).toBe(404);
      const denied = await get(path, { cookie: plain.cookie });
      expect(denied.status, path).toBe(404);
      expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("not_found:page");
      expect((await get(path, { cookie: admin.cookie })).status, path).toBe(200);
    }
    const bad = await get("/api/admin/charts?range=year", { cookie: admin.cookie });
    expect(bad.status).toBe(400);
  });

  it("every response carries x-request-id, and error bodies repeat it", async () => {
    const res = await get("/api/admin/pools");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { error: { request_id: string } }).error.request_id).toBe(id);
    // A well-formed id from a proxy is kept, so one request can be followed across services.
    const forwarded = await get("/v1/models", { "x-request-id": "lb-abcdef123456" });
    expect(forwarded.headers.get("x-request-id")).toBe("lb-abcdef123456");
    expect(((await forwarded.json()) as { error: { request_id: string } }).error.request_id).toBe("lb-abcdef123456");
  });

  it("the metrics exposition has the dashboard's series after a real reply", async () => {
    const { cookie } = await signedIn();
    const res = await fetch(`${base}/api/chat`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: base },
      body: JSON.stringify({ id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "Tell me about rivers" } }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const scrape = () => get("/api/metrics", { authorization: `Bearer ${METRICS_TOKEN}` }).then((r) => r.text());
    const text = await waitFor(async () => {
      const t = await scrape();
      // The reply is counted when it ends, its save timed when the row is written (a moment later on PostgreSQL).
      const saved = /gateway_persist_seconds_count\{step="finish"\} [1-9]/.test(t);
      return saved && /gateway_replies_total\{[^}]*tier="free"[^}]*\} [1-9]/.test(t) && /gateway_replica_kv_cache_usage\{/.test(t) ? t : null;
    }, 15_000);
    expect(text).toMatch(/gateway_time_to_first_token_seconds_bucket\{le="0\.2",model="gpt-4o",pool="gpt-4o-main"\} \d/);
    expect(text).toMatch(/gateway_inter_token_gap_seconds_count\{model="gpt-4o",pool="gpt-4o-main"\} [1-9]/);
    expect(text).toMatch(/gateway_stream_tokens_per_second_count\{model="gpt-4o",pool="gpt-4o-main"\} 1/);
    expect(text).toMatch(/gateway_replies_total\{model="gpt-4o",tier="free",finish_reason="stop"\} [1-9]/);
    expect(text).toContain(`gateway_replica_requests_running{replica="${sim.url}"}`);
    expect(text).toMatch(/gateway_persist_seconds_count\{step="finish"\} [1-9]/);
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("nodejs_heap_size_used_bytes");
    expect((await get("/api/metrics")).status).toBe(404);
  });

  it("liveness is always up; readiness sees the database, its migrations and a healthy replica", async () => {
    expect((await get("/api/health/live")).status).toBe(200);
    const ready = await get("/api/health/ready");
    const body = (await ready.json()) as { status: string; checks: { migrations: { ok: boolean }; models: { model: string; ok: boolean }[] } };
    expect(ready.status).toBe(200);
    expect(body.status).toBe("ready");
    expect(body.checks.migrations.ok).toBe(true);
    expect(body.checks.models).toEqual([{ model: "gpt-4o", ok: true, healthy: 1, replicas: 1 }]);
    // No replica address in a response anyone can fetch.
    expect(JSON.stringify(body)).not.toContain(sim.url);
  });

  it("disabling an account rejects its open session and its API key at once, and is audited", async () => {
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const admin = await signedIn("admin");
    const target = await signedIn();
    const { key } = await issueApiKey(target.user.id, "test");
    expect((await get("/v1/models", { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await get("/v1/models", { cookie: target.cookie })).status).toBe(200);

    await changeUserByAdmin({ actorId: admin.user.id, targetId: target.user.id, change: { disabled: true } });
    expect((await get("/v1/models", { authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await get("/v1/models", { cookie: target.cookie })).status).toBe(401);

    // Enabling lets the key work again; the revoked session stays revoked (sign in again).
    await changeUserByAdmin({ actorId: admin.user.id, targetId: target.user.id, change: { disabled: false } });
    expect((await get("/v1/models", { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await get("/v1/models", { cookie: target.cookie })).status).toBe(401);
    const audit = (await listAdminAudit({ limit: 50 })).filter((e) => e.targetEmail === target.user.email);
    expect(audit.map((e) => e.action)).toEqual(["enable", "disable"]);
  });
});
