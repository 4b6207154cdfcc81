// The topology the suite tests (DESIGN §2): the simulator, two app instances running the production
// server (scripts/server.ts on the production build, as `npm start` runs it) on free ports, sharing a
// fresh PostgreSQL database and a private Redis (own port and key prefix), behind HAProxy.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createPgDatabase, startApp, startSimulator, tempDir, type App, type Proc } from "@/bench/stack";
import { buildIfStale } from "@/scripts/build-if-stale";
import { freePort } from "@/scripts/free-port";
import { startHaproxy } from "./haproxy";
import { privateRedis, type PrivateRedis } from "./redis-server";

/** 20 tokens/s: a reply (60–257 tokens) lasts 3–13 s, long enough to act on it mid-stream. */
export const SLOW_MODEL = "multi-slow";
/** Fast short replies for the cap test and the utility model (titles). */
export const FAST_MODEL = "multi-fast";
export const SIM_SLOW = "sim-slow";
/** Messages a guest (free tier) may send to FAST_MODEL per day, across all instances. */
export const CAP = 4;

export interface Stack {
  dir: string;
  sim: Proc;
  apps: App[];
  appEnv: Record<string, string>;
  redis: PrivateRedis;
  balancer: { url: string; stop(): Promise<void> };
  stop(): Promise<void>;
}

function catalog(simUrl: string) {
  const common = { contextWindow: 32_768, encoding: "o200k_base", pricing: { inputPerM: 1, outputPerM: 1 }, tiers: ["free", "plus", "team", "enterprise"], simulated: true };
  const model = (id: string, upstreamModel: string, maxOutputTokens: number) => ({
    ...common,
    id,
    label: id,
    maxOutputTokens,
    pools: [{ name: `${id}-pool`, upstreamModel, replicas: [{ url: simUrl, weight: 1 }] }],
  });
  const models = [model(SLOW_MODEL, SIM_SLOW, 400), model(FAST_MODEL, "sim-fast", 16), model("multi-utility", "sim-fast", 16)];
  return { defaultModel: SLOW_MODEL, utilityModel: "multi-utility", models };
}

function limits() {
  const open = { messages: {}, fallbackModel: null, tokensPerDay: 1e12, apiRequestsPerMinute: 1e9, concurrentStreams: 1e6, priority: "high" };
  return {
    free: { ...open, messages: { [FAST_MODEL]: { limit: CAP, window: "1d" } } },
    plus: open,
    team: open,
    enterprise: open,
  };
}

export async function startStack(): Promise<Stack> {
  buildIfStale();
  const dir = tempDir();
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
    if (!process.env.MULTI_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const sim = await startSimulator(dir, {
      maxNumSeqs: 1_024,
      tickMs: 5,
      faults: "",
      faultDirectives: false,
      models: [
        { name: SIM_SLOW, mode: "text", baseTtftMs: 20, decodeTokensPerS: 20, batchSlowdown: 0 },
        { name: "sim-fast", mode: "text", baseTtftMs: 5, decodeTokensPerS: 500, batchSlowdown: 0 },
      ],
    });
    cleanups.push(sim.stop);
    const db = await createPgDatabase(process.env.MULTI_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    cleanups.push(db.drop);
    const redis = privateRedis(await freePort(), dir);
    await redis.start();
    cleanups.push(redis.stop);

    const modelsFile = path.join(dir, "models.json");
    fs.writeFileSync(modelsFile, JSON.stringify(catalog(sim.url)));
    const limitsFile = path.join(dir, "multi-limits.json");
    fs.writeFileSync(limitsFile, JSON.stringify(limits()));
    const lbPort = await freePort();
    const appEnv = {
      REDIS_URL: redis.url,
      LIVE_KEY_PREFIX: `multi:${randomBytes(6).toString("hex")}:`,
      LIMITS_CONFIG: limitsFile,
      AUTH_URL: `http://127.0.0.1:${lbPort}`,
      CHECKPOINT_MS: "500",
    };
    const apps: App[] = [];
    for (const name of ["a", "b"]) {
      const appDir = path.join(dir, name);
      fs.mkdirSync(appDir);
      // One after the other: the first instance's first query migrates the fresh database.
      const app = await startApp({ dir: appDir, inferenceUrl: sim.url, modelsConfigFile: modelsFile, databaseUrl: db.url, env: appEnv });
      cleanups.push(app.stop);
      apps.push(app);
      await fetch(`${app.url}/api/auth/csrf`).then((r) => r.arrayBuffer());
      if (name === "a") await warmDatabase(app.url);
    }
    const balancer = await startHaproxy(dir, lbPort, apps.map((a, i) => ({ name: ["a", "b"][i], port: Number(new URL(a.url).port) })));
    cleanups.push(balancer.stop);
    return { dir, sim, apps, appEnv, redis, balancer, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A guest sign-in touches the database, so the first instance migrates it before the second starts. */
async function warmDatabase(appUrl: string): Promise<void> {
  const { signInGuest } = await import("@/bench/stack");
  await signInGuest(appUrl);
}
