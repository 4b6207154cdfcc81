// Measures what a limit check costs: in-process, and on Redis (REDIS_URL) through the ioredis adapter,
// sequential latency percentiles and one burst of concurrent checks from two clients.
//   npx tsx scripts/limits-latency.ts            (in-process only)
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/limits-latency.ts
import { randomUUID } from "node:crypto";
import { connectIoredis, ioredisScriptClient } from "../lib/limits/redis-client";
import { MemoryCounters, memoryWindow, redisWindow, type WindowLimiter, type WindowSpec } from "../lib/limits/window";

const spec: WindowSpec = { kind: "sliding", limit: 1_000_000, windowMs: 3 * 3_600_000 };
const N = 5_000;

async function measure(name: string, l: WindowLimiter): Promise<void> {
  for (let i = 0; i < 200; i++) await l.limit(`warm:${i}`);
  const times: number[] = [];
  const id = `bench:${randomUUID()}`;
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await l.limit(id);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  console.log(`${name.padEnd(28)} sequential limit(): p50 ${p(0.5)} ms  p99 ${p(0.99)} ms  (n=${N})`);
}

async function burst(name: string, a: WindowLimiter, b: WindowLimiter): Promise<void> {
  const id = `burst:${randomUUID()}`;
  const t = performance.now();
  const r = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).limit(id)));
  console.log(`${name.padEnd(28)} 200 concurrent from 2 clients: ${(performance.now() - t).toFixed(1)} ms, admitted ${r.filter((x) => x.success).length}`);
}

const mem = memoryWindow(spec, new MemoryCounters());
await measure("in-process", mem);
if (process.env.REDIS_URL) {
  const c1 = connectIoredis(process.env.REDIS_URL);
  const c2 = connectIoredis(process.env.REDIS_URL);
  const r1 = redisWindow(spec, ioredisScriptClient(c1), 5_000);
  const r2 = redisWindow(spec, ioredisScriptClient(c2), 5_000);
  await measure("redis (ioredis adapter)", r1);
  await burst("redis (ioredis adapter)", r1, r2);
  c1.disconnect();
  c2.disconnect();
}
