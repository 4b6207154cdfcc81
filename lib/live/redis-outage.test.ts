// Redis going away mid-reply and coming back, on a private redis-server (never the shared one),
// with an append-only file so its data survives the restart as a production Redis's would.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/free-port";
import { collector, until, wait } from "./contract-suite";
import { createRedisLiveStore } from "./redis-store";

const REDIS_URL = process.env.REDIS_URL; // run with the other Redis tests; the server below is our own
const dir = mkdtempSync(path.join(tmpdir(), "live-redis-"));
let server: ChildProcess | undefined;

async function startRedis(port: number): Promise<void> {
  server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir], { stdio: "ignore" });
  const { default: IORedis } = await import("ioredis");
  const probe = new IORedis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  await until(async () => probe.connect().then(() => true, () => false), 5_000);
  probe.disconnect();
}

async function stopRedis(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return;
  await new Promise((r) => {
    s.once("exit", r);
    s.kill("SIGKILL");
  });
}

afterAll(async () => {
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!REDIS_URL)("Redis live store through a Redis restart", () => {
  it("buffers appends, keeps local subscribers fed, and resumes remote tails with no gap when Redis returns", async () => {
    const port = await freePort();
    await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const opts = { url, prefix: "outage:", blockMs: 500 };
    const [writer, reader] = [createRedisLiveStore<{ t: string }>(opts), createRedisLiveStore<{ t: string }>(opts)];
    const id = randomUUID();
    const remote = collector();
    const local = collector();
    reader.log.subscribe(id, 0, remote.onEvents);
    writer.log.subscribe(id, 0, local.onEvents);
    const stopped: string[] = [];
    writer.stops.onStop(id, () => stopped.push(id));
    for (let i = 1; i <= 10; i++) writer.log.append(id, [{ t: `t${i}` }]);
    await until(() => remote.seen.length === 10);

    await stopRedis();
    for (let i = 11; i <= 20; i++) {
      writer.log.append(id, [{ t: `t${i}` }]);
      await wait(20);
    }
    await until(() => local.seen.length === 20); // the generating instance's own clients never wait
    expect(remote.seen).toHaveLength(10);
    expect(await reader.log.read(id, 0)).toEqual([]); // Redis away: callers use the database
    await reader.stops.requestStop(id); // taken, retried until Redis is back; resolves now
    await wait(300);

    await startRedis(port);
    await until(() => remote.seen.length === 20, 8_000);
    const seqs = Array.from({ length: 20 }, (_, k) => k + 1);
    expect(remote.seen.map((e) => e.seq)).toEqual(seqs);
    expect(local.seen.map((e) => e.seq)).toEqual(seqs);
    const late = collector();
    reader.log.subscribe(id, 5, late.onEvents);
    await until(() => late.seen.length === 15);
    expect(late.seen[0]).toEqual({ seq: 6, event: { t: "t6" } });
    await until(() => stopped.length === 1, 5_000);
    expect(writer.stats.dropped).toBe(0);
    await Promise.all([writer.close(), reader.close()]);
  });
});
