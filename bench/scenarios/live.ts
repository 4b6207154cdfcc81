// Scenario 11 · live replies (issue 13). Its own apps beside the bench's simulator, all on PostgreSQL
// (two instances must share a database) and a private redis-server:
//   mem     – REDIS_URL set (limits in Redis) but LIVE_STORE=memory: events in process;
//   A, B    – REDIS_URL set: events in Redis Streams; B shares A's database; HAProxy in front of both.
// Figures: app CPU per 200-token stream, mem vs A (100 streams per run, rounds alternate the order);
// added TTFT for one stream and for 100 streams, both apps; the time from a resume request on B to
// its first replayed byte for replies generated on A; 200 conversation-API turns started at once
// through HAProxy (both instances) against 200 streams straight to the simulator.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startHaproxy } from "../../tests/multi/haproxy";
import { privateRedis } from "../../tests/multi/redis-server";
import { freePort } from "../../scripts/free-port";
import { BENCH_MODEL, type Plan } from "../config";
import { runLevel, type ExpectedReply, type RunResult } from "../loadgen";
import { measuredRun, waitIdle, type Stack } from "../measure";
import { sampleTree } from "../proc";
import type { BenchPrompt } from "../prompt";
import { createPgDatabase, signInGuest, startApp, type App, type Proc } from "../stack";
import { median, percentile } from "../stats";
import { directTarget, gatewayTarget } from "../targets";
import { apiKeyFor, conversationTarget, createConversations, resumeOnce, storeResumeMs } from "./live-probes";
import { singleStream } from "./single-stream";

export const LIVE_TARGETS = { cpuRatio: 1.3, resumeP95Ms: 50, burstAddedP50Ms: 150 } as const;
const LEVEL = 100;
const BURST = 200;

export interface LiveBenchResult {
  replyTokens: number;
  rounds: number;
  cpuMsPer200: { memory: number; redis: number };
  /** Redis ÷ in-process app CPU per stream, per round, median. */
  cpuRatio: number;
  /** The redis-server process, per 200-token stream of the Redis app's runs. */
  redisServerMsPer200: number;
  addedTtftP50: { one: { memory: number; redis: number }; hundred: { memory: number; redis: number } };
  resume: { samples: number; p50: number; p95: number; errors: number };
  /** lib/live alone (two stores in the bench process): subscribe on the other "instance" → first batch. */
  storeResume: { p50: number; p95: number };
  /** Other processes on the machine during the CPU runs, % of one core (median): high = noisy latencies. */
  otherPct: number;
  burst: { turns: number; directP50: number; gatewayP50: number; addedP50: number; addedP99: number; errors: number };
  /** The same burst on instance A alone, no balancer (full runs only): what the second instance buys. */
  burstOneInstanceAddedP50: number | null;
}

interface Args {
  dir: string;
  sim: Proc;
  prompt: BenchPrompt;
  plan: Plan;
  modelsFile: string;
  baseDbUrl: string;
  log: (line: string) => void;
}

export async function liveBench(a: Args): Promise<LiveBenchResult> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const redis = privateRedis(await freePort(), a.dir, { durable: false });
    await redis.start();
    stops.push(redis.stop);
    const env = { REDIS_URL: redis.url, LIVE_KEY_PREFIX: `bench:${randomBytes(4).toString("hex")}:` };
    const app = async (name: string, databaseUrl: string, extra: Record<string, string> = {}): Promise<App> => {
      const dir = path.join(a.dir, `live-${name}`);
      fs.mkdirSync(dir, { recursive: true });
      const started = await startApp({ dir, inferenceUrl: a.sim.url, modelsConfigFile: a.modelsFile, databaseUrl, env: { ...env, ...extra } });
      stops.push(started.stop);
      return started;
    };
    const [dbMem, dbShared] = [await createPgDatabase(a.baseDbUrl), await createPgDatabase(a.baseDbUrl)];
    stops.push(dbMem.drop, dbShared.drop);
    const mem = await app("mem", dbMem.url, { LIVE_STORE: "memory" });
    const A = await app("a", dbShared.url);
    const memStack: Stack = { sim: a.sim, app: mem, cookie: await signInGuest(mem.url), dbName: dbMem.name };
    const aStack: Stack = { sim: a.sim, app: A, cookie: await signInGuest(A.url), dbName: dbShared.name }; // migrates before B starts
    const B = await app("b", dbShared.url);
    const expected: ExpectedReply = { tokens: a.prompt.tokens, cumulative: a.prompt.cumulative };
    const direct = directTarget(a.sim.url, a.prompt, a.plan.replyTokens);
    const shape = { concurrency: LEVEL, rampMs: 1_000, holdMs: 0, streamTimeoutMs: 120_000, expected };
    // Warm every instance (JIT, database pool), B too: a cold B would pay its pool's connections
    // during the burst.
    const bStack: Stack = { ...aStack, app: B };
    for (const s of [memStack, aStack, bStack]) {
      await runLevel({ ...shape, concurrency: 50, target: gatewayTarget(s.app.url, s.cookie, a.prompt, BENCH_MODEL) });
      await waitIdle(s);
    }

    a.log("scenario 11: one stream, in-process vs Redis events");
    const reps = a.plan.quick ? 10 : 20;
    const oneMem = await singleStream(memStack, a.prompt, reps);
    const oneRedis = await singleStream(aStack, a.prompt, reps);

    const rounds = a.plan.quick ? 1 : 2;
    a.log(`scenario 11: app CPU, ${LEVEL} streams × ${rounds} round(s) per store`);
    const per200 = (cpuMs: number, r: RunResult) => (cpuMs / Math.max(1, r.started)) * (200 / a.prompt.tokens);
    const cpu = { memory: [] as number[], redis: [] as number[], redisServer: [] as number[] };
    const ttft = { direct: [] as number[], memory: [] as number[], redis: [] as number[] };
    const other: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const d = await runLevel({ ...shape, target: direct });
      ttft.direct.push(percentile(d.ttftMs, 50));
      for (const s of round % 2 === 0 ? [memStack, aStack] : [aStack, memStack]) {
        const redis0 = sampleTree(redis.pid()!).cpuMs;
        const m = await measuredRun(s, { ...shape, target: gatewayTarget(s.app.url, s.cookie, a.prompt, BENCH_MODEL) });
        const kind = s === memStack ? "memory" : "redis";
        cpu[kind].push(per200(m.appCpuMs, m.run));
        ttft[kind].push(percentile(m.run.ttftMs, 50));
        other.push(m.otherPct);
        if (kind === "redis") cpu.redisServer.push(per200(sampleTree(redis.pid()!).cpuMs - redis0, m.run));
      }
    }
    const ratios = cpu.redis.map((r, i) => r / cpu.memory[i]);
    a.log(`  app CPU per 200-token stream: in-process ${median(cpu.memory).toFixed(2)} ms, Redis ${median(cpu.redis).toFixed(2)} ms (× ${median(ratios).toFixed(2)})`);

    a.log("scenario 11: resume on the other instance");
    const samples = a.plan.quick ? 20 : 50;
    const resumeMs: number[] = [];
    let resumeErrors = 0;
    for (let i = 0; i < samples; i++) {
      try {
        resumeMs.push(await resumeOnce(A.url, B.url, aStack.cookie, a.prompt.text, BENCH_MODEL));
      } catch {
        resumeErrors++;
      }
    }
    await waitIdle(aStack);
    const storeMs = await storeResumeMs(redis.url, 100);
    a.log(`  lib/live alone: subscribe → first batch p50 ${percentile(storeMs, 50).toFixed(2)} ms, p95 ${percentile(storeMs, 95).toFixed(2)} ms`);
    a.log(`  first replayed byte p50 ${percentile(resumeMs, 50).toFixed(1)} ms, p95 ${percentile(resumeMs, 95).toFixed(1)} ms`);

    a.log(`scenario 11: ${BURST} conversation-API turns at once, two instances behind HAProxy`);
    // Started only now: its health checks would otherwise add CPU to A and B during the comparison.
    const lb = await startHaproxy(a.dir, await freePort(), [A, B].map((x, i) => ({ name: "ab"[i], port: Number(new URL(x.url).port) })));
    stops.push(lb.stop);
    const key = await apiKeyFor(lb.url, aStack.cookie);
    const ids = await createConversations(lb.url, key, BENCH_MODEL, BURST);
    const burstShape = { concurrency: BURST, rampMs: 0, holdMs: 0, streamTimeoutMs: 120_000, expected };
    // The conversation API's route graph loads on its first request (scripts/server.ts): warm it on
    // both instances, or the first burst on each waits seconds for that under contention.
    for (const x of [A, B]) {
      const warm = await createConversations(x.url, key, BENCH_MODEL, 20);
      await runLevel({ ...burstShape, concurrency: 20, target: conversationTarget(x.url, key, warm, a.prompt) });
    }
    await waitIdle(aStack);
    const bd = await runLevel({ ...burstShape, target: direct });
    await waitIdle(aStack);
    // Full runs: the same burst on instance A alone first (it also warms what a first burst pays for,
    // so the balancer's run is not the cold one), to show what the second instance buys.
    let burstOneInstanceAddedP50: number | null = null;
    if (!a.plan.quick) {
      const more = await createConversations(A.url, key, BENCH_MODEL, BURST);
      const one = await runLevel({ ...burstShape, target: conversationTarget(A.url, key, more, a.prompt) });
      await waitIdle(aStack);
      burstOneInstanceAddedP50 = percentile(one.ttftMs, 50) - percentile(bd.ttftMs, 50);
      a.log(`  on instance A alone: added ${burstOneInstanceAddedP50.toFixed(0)} ms`);
    }
    const bg = await runLevel({ ...burstShape, target: conversationTarget(lb.url, key, ids, a.prompt) });
    await waitIdle(aStack);
    const burst = {
      turns: BURST,
      directP50: percentile(bd.ttftMs, 50),
      gatewayP50: percentile(bg.ttftMs, 50),
      addedP50: percentile(bg.ttftMs, 50) - percentile(bd.ttftMs, 50),
      addedP99: percentile(bg.ttftMs, 99) - percentile(bd.ttftMs, 99),
      errors: bg.errors + bd.errors,
    };
    a.log(`  TTFT p50 direct ${burst.directP50.toFixed(0)} ms, through HAProxy ${burst.gatewayP50.toFixed(0)} ms (added ${burst.addedP50.toFixed(0)} ms)`);
    return {
      replyTokens: a.prompt.tokens,
      rounds,
      cpuMsPer200: { memory: median(cpu.memory), redis: median(cpu.redis) },
      cpuRatio: median(ratios),
      redisServerMsPer200: median(cpu.redisServer),
      addedTtftP50: {
        one: { memory: oneMem.addedP50, redis: oneRedis.addedP50 },
        hundred: { memory: median(ttft.memory) - median(ttft.direct), redis: median(ttft.redis) - median(ttft.direct) },
      },
      resume: { samples, p50: percentile(resumeMs, 50), p95: percentile(resumeMs, 95), errors: resumeErrors },
      storeResume: { p50: percentile(storeMs, 50), p95: percentile(storeMs, 95) },
      otherPct: median(other),
      burst,
      burstOneInstanceAddedP50,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

const ok = (pass: boolean) => (pass ? "✓" : "✗");

export function liveMarkdown(r: LiveBenchResult): string {
  const t = LIVE_TARGETS;
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  return [
    `### 11 · live replies: in-process vs Redis events (issue 13; PostgreSQL, a private redis-server, ${r.replyTokens}-token replies, ${r.rounds} round(s))`,
    "",
    "| figure | in-process | Redis | target |",
    "| --- | --- | --- | --- |",
    `| app CPU per 200-token stream (${LEVEL} streams) | ${ms(r.cpuMsPer200.memory)} | ${ms(r.cpuMsPer200.redis)} (× ${r.cpuRatio.toFixed(2)}; redis-server + ${ms(r.redisServerMsPer200)}) | ≤ ${t.cpuRatio}× ${ok(r.cpuRatio <= t.cpuRatio)} |`,
    `| added TTFT p50, one stream | ${ms(r.addedTtftP50.one.memory)} | ${ms(r.addedTtftP50.one.redis)} | — |`,
    `| added TTFT p50, ${LEVEL} streams | ${ms(r.addedTtftP50.hundred.memory)} | ${ms(r.addedTtftP50.hundred.redis)} | — |`,
    `| resume on the other instance → first replayed byte, p50 / p95 (${r.resume.samples} samples, ${r.resume.errors} errors) | — | ${ms(r.resume.p50)} / ${ms(r.resume.p95)} | p95 ≤ ${t.resumeP95Ms} ms ${ok(r.resume.p95 <= t.resumeP95Ms)} |`,
    `| of which lib/live: subscribe on another store → first batch, p50 / p95 (100 samples, in the bench process) | — | ${ms(r.storeResume.p50)} / ${ms(r.storeResume.p95)} | — |`,
    `| ${r.burst.turns} conversation-API turns at once, 2 instances behind HAProxy: added TTFT p50 / p99 (direct p50 ${ms(r.burst.directP50)}; ${r.burst.errors} errors) | — | ${ms(r.burst.addedP50)} / ${ms(r.burst.addedP99)} | p50 ≤ ${t.burstAddedP50Ms} ms ${ok(r.burst.addedP50 <= t.burstAddedP50Ms)} |`,
    ...(r.burstOneInstanceAddedP50 === null ? [] : [`| the same burst on one instance, no balancer: added TTFT p50 | — | ${ms(r.burstOneInstanceAddedP50)} | — |`]),
    "",
    `Other processes on the machine used ${r.otherPct.toFixed(0)}% of a core (median) during the CPU runs${r.otherPct > 25 ? ": latencies are inflated by that contention, the CPU figures much less so" : ""}.`,
    "",
  ].join("\n");
}
