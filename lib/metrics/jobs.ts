// This instance's observability work, started once with the background jobs: database and Redis
// round trips (every few seconds), its router view published to Redis, the rollups of the newest
// minutes and this instance's samples (every ROLLUP_EVERY_MS), and retention (hourly). Timers never
// keep the process alive; failures are logged and retried on the next tick.
import { dbDriver } from "@/db";
import { pingDb } from "@/db/queries/admin-health";
import { pruneRollups, refreshRollups } from "@/db/queries/rollups";
import { pruneSamples, recordSamples } from "@/db/queries/rollups-samples";
import { log } from "@/lib/log/logger";
import { instanceId } from "./instance";
import { registerReplicaGauges } from "./replica-gauges";
import { metrics } from "./registry";
import { obsRedis, publishRouterView } from "./router-views";
import { routerSnapshot } from "./router-snapshot";
import { collectSamples } from "./samples";
import { processPeek, processSet } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    obsJobs: NodeJS.Timeout[];
  }
}

const PROBE_EVERY_MS = 5_000;
const ROLLUP_EVERY_MS = 10_000;
/** Minutes recomputed each round: a reply saved just before a minute ended is still picked up. */
const ROLLUP_LOOKBACK_MS = 3 * 60_000;
const PRUNE_EVERY_MS = 3_600_000;
export const RETENTION = { minuteDays: 3, hourDays: 400, sampleDays: 31 };


async function probe(): Promise<void> {
  const m = metrics();
  try {
    m.dbRoundTrip.observe({ driver: dbDriver() }, (await pingDb()) / 1000);
  } catch (err) {
    log().warn({ err }, "db ping failed");
  }
  const redis = obsRedis();
  if (!redis) return;
  try {
    const t = performance.now();
    await redis.ping();
    m.redisRoundTrip.observe((performance.now() - t) / 1000);
    await publishRouterView(redis);
  } catch (err) {
    log().warn({ err }, "redis ping / router view failed");
  }
}

/** One rollup round (the job's tick; tests and the benchmark call it). */
export async function rollupRound(now = new Date()): Promise<void> {
  await refreshRollups({ from: new Date(now.getTime() - ROLLUP_LOOKBACK_MS), to: new Date(now.getTime() + 60_000) });
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  await recordSamples({ minute, instance: instanceId(), samples: await collectSamples() });
}

async function prune(): Promise<void> {
  await pruneRollups(RETENTION);
  await pruneSamples({ days: RETENTION.sampleDays });
}

function every(ms: number, name: string, fn: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    fn()
      .catch((err: unknown) => log().error({ err }, `${name} failed`))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  return timer;
}

export function startObservabilityJobs(): void {
  if (processPeek("obsJobs")) return;
  registerReplicaGauges();
  routerSnapshot(instanceId()); // registers every catalog replica, so the router polls them from the start
  processSet("obsJobs", [every(PROBE_EVERY_MS, "probe", probe), every(ROLLUP_EVERY_MS, "rollups", () => rollupRound()), every(PRUNE_EVERY_MS, "retention", prune)]);
}

export function stopObservabilityJobs(): void {
  for (const t of processPeek("obsJobs") ?? []) clearInterval(t);
  processSet("obsJobs", undefined);
}
