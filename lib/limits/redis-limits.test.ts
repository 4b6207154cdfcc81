// Limits on a real Redis shared by two "app instances" (two clients, two limiter objects).
// Skipped without REDIS_URL; CI sets it (redis://127.0.0.1:6379).
import { randomUUID } from "node:crypto";
import net from "node:net";
import { Writable } from "node:stream";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { resetEnvForTests } from "@/lib/env";
import { setLogDestinationForTests } from "@/lib/log/logger";
import { metrics } from "@/lib/metrics/registry";
import { redisLeases } from "./limiters";
import { connectIoredis, ioredisScriptClient } from "./redis-client";
import { redisWindow, withOutagePolicy, type WindowSpec } from "./window";

const REDIS_URL = process.env.REDIS_URL;
const clients: ReturnType<typeof connectIoredis>[] = [];

function instance(url = REDIS_URL!) {
  const io = connectIoredis(url);
  clients.push(io);
  return ioredisScriptClient(io);
}

afterEach(() => {
  vi.useRealTimers();
  delete process.env.LIMITS_ON_REDIS_ERROR;
  resetEnvForTests();
});
afterAll(() => {
  for (const c of clients) c.disconnect();
});

async function storeErrors(policy: string): Promise<number> {
  const v = (await metrics().limitStoreErrors.get()).values.find((x) => x.labels.policy === policy);
  return v?.value ?? 0;
}

describe.skipIf(!REDIS_URL)("limits on Redis", () => {
  it("admits exactly the limit under 200 concurrent requests from two instances", async () => {
    const spec: WindowSpec = { kind: "sliding", limit: 50, windowMs: 3_600_000 };
    const a = redisWindow(spec, instance(), 5_000);
    const b = redisWindow(spec, instance(), 5_000);
    const id = `test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).limit(id)));
    expect(results.filter((r) => r.success)).toHaveLength(50);
    expect((await a.peek(id)).remaining).toBe(0);
  });

  it("holds concurrent-stream leases exactly across instances", async () => {
    const a = redisLeases(instance());
    const b = redisLeases(instance());
    const user = randomUUID();
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).acquire(user, `lease-${i}`, 3)));
    expect(got.filter(Boolean)).toHaveLength(3);
    const held = got.findIndex(Boolean);
    await a.release(user, `lease-${held}`);
    expect(await b.acquire(user, "again", 3)).toBe(true);
    expect(await b.acquire(user, "one-more", 3)).toBe(false);
  });

  it("opens again when the window turns over (injected clock)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2026, 5, 1, 9, 0, 0));
    const limiter = redisWindow({ kind: "sliding", limit: 2, windowMs: 3 * 3_600_000 }, instance(), 5_000);
    const id = `test:${randomUUID()}`;
    expect((await limiter.limit(id)).success).toBe(true);
    expect((await limiter.limit(id)).success).toBe(true);
    const refused = await limiter.limit(id);
    expect(refused.success).toBe(false);
    expect(refused.reset).toBe(Date.UTC(2026, 5, 1, 12, 0, 0));
    vi.setSystemTime(Date.UTC(2026, 5, 1, 11, 59, 0));
    expect((await limiter.limit(id)).success).toBe(false);
    // Past the next boundary the old window no longer counts.
    vi.setSystemTime(Date.UTC(2026, 5, 1, 15, 0, 1));
    expect((await limiter.limit(id)).success).toBe(true);
  });

  it("admits (policy open), logs and counts when Redis stops mid-test; never throws", async () => {
    const [host, port] = new URL(REDIS_URL!).host.split(":");
    const sockets = new Set<net.Socket>();
    // A TCP proxy in front of Redis that the test can cut, as if Redis stopped.
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(port || 6379), host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const { port: proxyPort } = proxy.address() as net.AddressInfo;
    const spec: WindowSpec = { kind: "sliding", limit: 1, windowMs: 60_000 };
    const limiter = withOutagePolicy(spec, redisWindow(spec, instance(`redis://127.0.0.1:${proxyPort}`), 500));
    const id = `test:${randomUUID()}`;
    expect((await limiter.limit(id)).success).toBe(true);
    expect((await limiter.limit(id)).success).toBe(false); // Redis is really counting

    const before = await storeErrors("open");
    // The warning is a structured log line (pino): read what the process logger writes.
    const lines: string[] = [];
    setLogDestinationForTests(new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split("\n").filter(Boolean)), done()) }));
    await new Promise<void>((r) => {
      proxy.close(() => r());
      for (const s of sockets) s.destroy();
    });
    const started = Date.now();
    const during = await limiter.limit(id);
    expect(during).toMatchObject({ success: true, degraded: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await storeErrors("open")).toBeGreaterThan(before);
    const warning = lines.map((l) => JSON.parse(l) as { level: string; msg: string; policy?: string }).find((l) => l.msg.includes("Redis unavailable"));
    expect(warning).toMatchObject({ level: "warn", policy: "open" });
  });

  it('answers 503 instead when LIMITS_ON_REDIS_ERROR is "closed" (Redis unreachable from the start)', async () => {
    process.env.LIMITS_ON_REDIS_ERROR = "closed";
    resetEnvForTests();
    const closed = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const spec: WindowSpec = { kind: "sliding", limit: 5, windowMs: 60_000 };
    const limiter = withOutagePolicy(spec, redisWindow(spec, instance(`redis://127.0.0.1:${closed}`), 500));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const err = await limiter.limit("x").catch((e: unknown) => e);
    warn.mockRestore();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(503);
    expect(await storeErrors("closed")).toBeGreaterThan(0);
  });
});
