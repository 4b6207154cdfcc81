// Scenario 11's burst on its own, to iterate on it in a minute instead of a whole run: N
// conversation-API turns started at once (through HAProxy over two instances, or straight to one)
// against N streams started at once straight to the simulator, alternating direct and gateway for R
// rounds, on PostgreSQL (a fresh database beside DATABASE_URL, else the local server) and a private
// redis-server, as live.ts sets them up. Prints per round the added TTFT p50 / p99, the apps' own
// time from the route handler's start to its Response (their request log: the work before the
// upstream call) and the apps' CPU per turn. (The client's time to response headers is printed too,
// but HAProxy passes a streamed response's headers on together with its first bytes.) With two
// instances each round also sends the direct burst through an HAProxy of the same configuration in
// front of the simulator itself: what the balancer alone adds on this machine.
//   npx tsx bench/scenarios/burst.ts [--instances=2] [--turns=200] [--rounds=3] [--profile=dir] [--no-build] [--keep]
// (--profile: node --cpu-prof for instance A, summarized over the gateway bursts; bench/profile.ts.
// --no-build: skip the build check; the live-reply routes run from source (scripts/server.ts), so a
// change under lib/ to them is measured without rebuilding Next's bundle.)
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { buildIfStale } from "../../scripts/build-if-stale";
import { freePort } from "../../scripts/free-port";
import { spawn } from "node:child_process";
import { HAPROXY, haproxyConfig, startHaproxy } from "../../tests/multi/haproxy";
import { privateRedis } from "../../tests/multi/redis-server";
import { BENCH_MODEL, modelsConfig, simConfig, SIM_MODEL } from "../config";
import { runLevel, type RunResult } from "../loadgen";
import { echoThroughGateway, monotonicUs, waitIdle, type Stack } from "../measure";
import { sampleTree } from "../proc";
import { summarizeProfile } from "../profile";
import { benchPrompt, simModel, userText } from "../prompt";
import { createPgDatabase, signInGuest, startApp, startSimulator, tempDir, type App } from "../stack";
import { percentile } from "../stats";
import { directTarget } from "../targets";
import { apiKeyFor, conversationTarget, createConversations } from "./live-probes";

const REPLY_TOKENS = 128;

function arg(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function main(): Promise<void> {
  const instances = Number(arg("instances", "2"));
  const turns = Number(arg("turns", "200"));
  const rounds = Number(arg("rounds", "3"));
  const profileDir = process.argv.some((a) => a.startsWith("--profile")) ? path.resolve(arg("profile", fs.mkdtempSync("/tmp/chatgate-burst-prof-"))) : null;
  if (!process.argv.includes("--no-build")) buildIfStale();
  const dir = tempDir();
  const stops: (() => Promise<void>)[] = [];
  try {
    const sim = await startSimulator(dir, simConfig());
    stops.push(sim.stop);
    const modelsFile = path.join(dir, "models.json");
    fs.writeFileSync(modelsFile, JSON.stringify(modelsConfig(sim.url, REPLY_TOKENS), null, 2));
    const redis = privateRedis(await freePort(), dir, { durable: false });
    await redis.start();
    stops.push(redis.stop);
    const db = await createPgDatabase(process.env.DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/postgres");
    stops.push(db.drop);
    const env = { REDIS_URL: redis.url, LIVE_KEY_PREFIX: `bench:${randomBytes(4).toString("hex")}:` };
    const apps: App[] = [];
    for (let i = 0; i < instances; i++) {
      const appDir = path.join(dir, `app-${i}`);
      fs.mkdirSync(appDir, { recursive: true });
      const app = await startApp({ dir: appDir, inferenceUrl: sim.url, modelsConfigFile: modelsFile, databaseUrl: db.url, env, cpuProfDir: i === 0 ? (profileDir ?? undefined) : undefined });
      stops.push(app.stop);
      apps.push(app);
    }
    const stack: Stack = { sim, app: apps[0], cookie: await signInGuest(apps[0].url), dbName: db.name };
    const probe = await echoThroughGateway(stack, userText(0));
    const prompt = benchPrompt(simModel(simConfig(), SIM_MODEL), REPLY_TOKENS, probe.system);
    const lb = instances > 1 ? await startHaproxy(dir, await freePort(), apps.map((x, i) => ({ name: `app${i}`, port: Number(new URL(x.url).port) }))) : null;
    if (lb) stops.push(lb.stop);
    const front = lb?.url ?? apps[0].url;
    const key = await apiKeyFor(front, stack.cookie);
    const expected = { tokens: prompt.tokens, cumulative: prompt.cumulative };
    const shape = { concurrency: turns, rampMs: 0, holdMs: 0, streamTimeoutMs: 120_000, expected };
    for (const app of apps) {
      const warm = await createConversations(app.url, key, BENCH_MODEL, 40);
      await runLevel({ ...shape, concurrency: 20, target: conversationTarget(app.url, key, warm.slice(0, 20), prompt) });
      await runLevel({ ...shape, concurrency: 20, target: conversationTarget(app.url, key, warm.slice(20), prompt) });
      await waitIdle({ ...stack, app });
    }
    const direct = directTarget(sim.url, prompt, REPLY_TOKENS);
    // The balancer alone: the same HAProxy configuration with the simulator behind it (twice, as two servers).
    let lbDirect: typeof direct | null = null;
    if (lb) {
      const port = await freePort();
      const simPort = Number(new URL(sim.url).port);
      fs.writeFileSync(path.join(dir, "haproxy-sim.cfg"), haproxyConfig(port, [{ name: "sim0", port: simPort }, { name: "sim1", port: simPort }]));
      const child = spawn(HAPROXY, ["-db", "-f", path.join(dir, "haproxy-sim.cfg")], { stdio: "ignore" });
      stops.push(async () => void child.kill("SIGTERM"));
      await new Promise((r) => setTimeout(r, 1_000));
      lbDirect = directTarget(`http://127.0.0.1:${port}`, prompt, REPLY_TOKENS);
    }
    const idle = async () => {
      for (const app of apps) await waitIdle({ ...stack, app });
    };
    const windows: [number, number][] = [];
    const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    const summary: { added50: number; added99: number; headers50: number; cpu: number; lb50: number }[] = [];
    console.log(`${turns} conversation-API turns at once, ${instances} instance(s)${lb ? " behind HAProxy" : ""}, ${rounds} rounds`);
    for (let round = 0; round < rounds; round++) {
      const ids = await createConversations(front, key, BENCH_MODEL, turns);
      await idle();
      const d: RunResult = await runLevel({ ...shape, target: direct });
      await idle();
      const viaLb = lbDirect ? await runLevel({ ...shape, target: lbDirect }) : null;
      if (viaLb) await idle();
      const logAt = apps.map((a) => fs.statSync(a.logFile).size);
      const cpu0 = apps.reduce((n, a) => n + sampleTree(a.pid).cpuMs, 0);
      const t0 = monotonicUs();
      const g = await runLevel({ ...shape, target: conversationTarget(front, key, ids, prompt) });
      await idle();
      windows.push([t0, monotonicUs()]);
      const cpu = (apps.reduce((n, a) => n + sampleTree(a.pid).cpuMs, 0) - cpu0) / turns;
      // The apps' own request log: from the route handler's start to its Response (the work before the upstream call).
      const handled = apps.flatMap((a, i) => requestDurations(a.logFile, logAt[i]));
      const row = {
        added50: percentile(g.ttftMs, 50) - percentile(d.ttftMs, 50),
        added99: percentile(g.ttftMs, 99) - percentile(d.ttftMs, 99),
        headers50: percentile(g.headersMs, 50),
        cpu,
        lb50: viaLb ? percentile(viaLb.ttftMs, 50) - percentile(d.ttftMs, 50) : NaN,
      };
      summary.push(row);
      console.log(
        `round ${round + 1} (load ${loadavg()}): TTFT p50 direct ${percentile(d.ttftMs, 50).toFixed(0)} ms, gateway ${percentile(g.ttftMs, 50).toFixed(0)} ms → added p50 ${row.added50.toFixed(0)} ms, p99 ${row.added99.toFixed(0)} ms; ` +
          `gateway headers p50 ${row.headers50.toFixed(0)} ms p99 ${percentile(g.headersMs, 99).toFixed(0)} ms; ` +
          `in the apps, handler start → Response p50 ${percentile(handled, 50).toFixed(0)} ms p99 ${percentile(handled, 99).toFixed(0)} ms (${handled.length}); ` +
          `${viaLb ? `simulator through HAProxy alone: added p50 ${row.lb50.toFixed(0)} ms; ` : ""}app CPU ${cpu.toFixed(1)} ms per turn (whole reply); errors ${d.errors + g.errors}`,
      );
    }
    const med = (k: keyof (typeof summary)[number]) => percentile(summary.map((r) => r[k]), 50);
    console.log(
      `median over rounds: added p50 ${med("added50").toFixed(0)} ms, p99 ${med("added99").toFixed(0)} ms; headers p50 ${med("headers50").toFixed(0)} ms; ` +
        `${lbDirect ? `HAProxy alone added p50 ${med("lb50").toFixed(0)} ms; ` : ""}app CPU ${med("cpu").toFixed(1)} ms per turn`,
    );
    if (profileDir) {
      await apps[0].stop();
      for (const f of fs.readdirSync(profileDir).filter((x) => x.endsWith(".cpuprofile"))) console.log(summarizeProfile(path.join(profileDir, f), windows, 40));
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    if (process.argv.includes("--keep")) console.log(`logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** duration_ms of the conversation-API request lines an app logged after byte `from` of its log. */
function requestDurations(file: string, from: number): number[] {
  const text = fs.readFileSync(file, "utf8").slice(from);
  const out: number[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes('"kind":"request"') || !line.includes("/messages")) continue;
    try {
      const entry = JSON.parse(line) as { method?: string; duration_ms?: number };
      if (entry.method === "POST" && typeof entry.duration_ms === "number") out.push(entry.duration_ms);
    } catch {
      // not a log line of ours
    }
  }
  return out;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
