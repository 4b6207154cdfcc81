// npm run bench [-- --quick] [--levels=10,100] [--passes=2] [--only=single,sweep,context,ui,branches,routing,moderation,live,files,admin,tools] [--admin-rows=10000000] [--profile[=dir]] [--keep]
//
// Measures what the gateway costs, side by side with the inference tier (issue #3): starts the
// simulator and the app (production build) in their own processes on 127.0.0.1, runs the scenarios,
// prints one markdown table and writes JSON, markdown and an SVG chart to bench/results/.
// See bench/README.md for what each figure means.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { buildIfStale, buildIsStale } from "../scripts/build-if-stale";
import { BENCH_MODEL, modelsConfig, plan as makePlan, simConfig, SIM_MODEL, streamSeconds, TIMING, type Plan } from "./config";
import { runLevel } from "./loadgen";
import { echoThroughGateway, measuredRun, monotonicUs, waitIdle, type Measured, type Stack } from "./measure";
import { sampleTree } from "./proc";
import { benchPrompt, simModel, userText } from "./prompt";
import { markdown, writeResults, type BenchResult } from "./report";
import { contextAssembly } from "./scenarios/context";
import { firstLoadJs, npmStartToLogin } from "./scenarios/frontend";
import { memory } from "./scenarios/memory";
import { moderationBench } from "./scenarios/moderation";
import { moderationDelay, outputChecksOf, startUnmoderatedApp, summarizeModerationDelay } from "./scenarios/moderation-delay";
import { persistence, PERSIST_LEVEL } from "./scenarios/persistence";
import { singleStream } from "./scenarios/single-stream";
import { liveBench, liveMarkdown, type LiveBenchResult } from "./scenarios/live";
import { sweep, type RunRecord } from "./scenarios/sweep";
import { median } from "./stats";
import { summarizeProfile } from "./profile";
import { createPgDatabase, root, serverVersion, signInGuest, sleep, startApp, startSimulator, tempDir, type App, type Proc } from "./stack";
import { directTarget, gatewayTarget } from "./targets";

const SCENARIOS = ["single", "sweep", "context", "ui", "branches", "routing", "moderation", "live", "files", "admin", "tools"] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Args {
  quick: boolean;
  levels: number[] | null;
  passes: number | null;
  only: Set<Scenario>;
  profileDir: string | null;
  keep: boolean;
  asyncCommit: boolean;
  /** usage_events rows for the admin scenario (default 10 M; --quick 1 M). */
  adminRows: number | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, levels: null, passes: null, only: new Set(SCENARIOS), profileDir: null, keep: false, asyncCommit: false, adminRows: null };
  for (const a of argv) {
    const [key, value] = a.split("=", 2);
    if (key === "--quick") args.quick = true;
    else if (key === "--keep") args.keep = true;
    else if (key === "--async-commit") args.asyncCommit = true;
    else if (key === "--admin-rows") args.adminRows = Math.max(1000, Number(value) || 0);
    else if (key === "--passes") args.passes = Math.max(1, Number(value) || 1);
    else if (key === "--levels") args.levels = value.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
    else if (key === "--only") {
      const names = value.split(",") as Scenario[];
      for (const n of names) if (!SCENARIOS.includes(n)) throw new Error(`--only: unknown scenario "${n}" (${SCENARIOS.join(", ")})`);
      args.only = new Set(names);
    } else if (key === "--profile") args.profileDir = path.resolve(value || fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-prof-")));
    else throw new Error(`unknown argument ${a}\nusage: npm run bench [-- --quick] [--levels=10,100] [--passes=2] [--only=${SCENARIOS.join(",")}] [--profile[=dir]] [--keep] [--async-commit]`);
  }
  return args;
}

const log = (line: string) => console.log(`[bench ${(performance.now() / 1000).toFixed(0).padStart(4)} s] ${line}`);

function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim() ? " (+ uncommitted changes)" : "";
    return sha + dirty;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan: Plan = makePlan(args.quick);
  if (args.levels?.length) plan.levels = args.levels;
  if (args.passes) plan.passes = args.passes;
  const startedAt = new Date().toISOString();

  if (buildIsStale()) log("building the app first (not counted in the bench's time)…");
  buildIfStale();
  const t0 = performance.now();
  const deadline = t0 + plan.budgetMs;
  const notes: string[] = [];
  let profileText = "";
  const dir = tempDir();
  const procs: (Proc | App)[] = [];
  let dropDb: (() => Promise<void>) | null = null;
  const cleanup = async () => {
    for (const p of procs.reverse()) await p.stop().catch(() => {});
    procs.length = 0;
    await dropDb?.().catch((err: unknown) => console.error("[bench] dropping the database failed:", err));
    dropDb = null;
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

  let liveResult: LiveBenchResult | null = null;
  const result: BenchResult = {
    meta: {
      startedAt,
      durationS: 0,
      mode: args.quick ? "quick" : "full",
      argv: process.argv.slice(2),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memGb: os.totalmem() / 2 ** 30,
      commit: gitCommit(),
      database: "",
      settings: {},
    },
    startup: null,
    firstLoad: null,
    single: null,
    sweep: null,
    memory: null,
    persistence: null,
    context: null,
    branches: null,
    routing: null,
    admin: null,
    browserJs: null,
    moderation: null,
    tools: null,
    notes,
  };

  try {
    const baseDbUrl = process.env.DATABASE_URL?.trim() || null;
    let appDbUrl: string | null = null;
    let appDbName: string | null = null;
    if (baseDbUrl) {
      if (!/@(localhost|127\.0\.0\.1)[:/]/.test(baseDbUrl)) throw new Error("the bench only runs against a local DATABASE_URL (127.0.0.1)");
      const created = await createPgDatabase(baseDbUrl, { asyncCommit: args.asyncCommit });
      appDbUrl = created.url;
      appDbName = created.name;
      dropDb = created.drop;
      result.meta.database = `PostgreSQL ${await serverVersion(created.url)} (fresh database ${created.name}, dropped after${args.asyncCommit ? "; synchronous_commit = off" : ""})`;
    } else {
      result.meta.database = "PGlite (app: embedded, on disk in a temporary DATA_DIR; context assembly and branches: in memory)";
    }
    log(`database: ${result.meta.database}`);

    if (args.only.has("ui")) {
      result.firstLoad = firstLoadJs();
      for (const js of result.firstLoad) log(`first-load JS ${js.route}: ${js.gzipKb.toFixed(0)} KB gzipped (${js.files} files)`);
      // What the browser actually transfers (its own simulator and app on the current build).
      buildIfStale();
      const { measureBrowserWeights } = await import("./scenarios/ui-browser");
      result.browserJs = await measureBrowserWeights();
      for (const w of result.browserJs) log(`Chromium ${w.page}: ${w.encodedKb.toFixed(1)} KB encoded JS in ${w.scripts} files${w.withEngineKb ? ` (${w.withEngineKb.toFixed(1)} KB with the chat engine)` : ""}`);
      const times: number[] = [];
      for (let i = 0; i < (args.quick ? 1 : 3); i++) {
        if (buildIsStale()) {
          notes.push("`npm start` timing skipped: the sources changed after the build, so npm start would rebuild.");
          break;
        }
        times.push(await npmStartToLogin());
      }
      const npmStartMs = times.length ? median(times) : null;
      if (times.length > 1) notes.push(`\`npm start\` → sign-in page, each try: ${times.map((t) => t.toFixed(0)).join(", ")} ms (median shown).`);
      if (times.length) log(`npm start → /login: ${times.map((t) => t.toFixed(0)).join(", ")} ms (median ${npmStartMs!.toFixed(0)})`);
      result.startup = { nextStartMs: null, npmStartMs };
    }

    const load = args.only.has("single") || args.only.has("sweep");
    const needStack = load || args.only.has("moderation") || args.only.has("live") || args.only.has("files");
    if (needStack) {
      // Someone may have rebuilt or cleaned .next meanwhile (a shared checkout): build again if needed.
      buildIfStale();
      const sim = await startSimulator(dir, simConfig());
      procs.push(sim);
      const modelsFile = path.join(dir, "models.json");
      fs.writeFileSync(modelsFile, JSON.stringify(modelsConfig(sim.url, plan.replyTokens), null, 2));
      const app = await startApp({ dir, inferenceUrl: sim.url, modelsConfigFile: modelsFile, databaseUrl: appDbUrl, cpuProfDir: args.profileDir ?? undefined });
      procs.push(app);
      if (result.startup) result.startup.nextStartMs = app.startupMs;
      else result.startup = { nextStartMs: app.startupMs, npmStartMs: null };
      log(`simulator pid ${sim.pid} at ${sim.url}; app pid ${app.pid} at ${app.url} (app server start → /login ${app.startupMs.toFixed(0)} ms)`);
      const cookie = await signInGuest(app.url);
      const stack: Stack = { sim, app, cookie, dbName: appDbName };

      // The direct path sends exactly what the gateway sends upstream: read it back through the echo model.
      const probe = await echoThroughGateway(stack, userText(0));
      const model = simModel(simConfig(), SIM_MODEL);
      const prompt = benchPrompt(model, plan.replyTokens, probe.system);
      const check = await echoThroughGateway(stack, prompt.text);
      if (JSON.stringify(check.messages) !== JSON.stringify(prompt.messages) || check.maxTokens !== plan.replyTokens) {
        throw new Error(`the gateway sends something else upstream than the direct path would:\n${JSON.stringify(check).slice(0, 600)}`);
      }
      result.meta.settings = {
        ...TIMING,
        replyTokens: prompt.tokens,
        promptChars: prompt.text.length,
        promptTokens: check.promptTokens,
        rampMs: plan.rampMs,
        holdMs: plan.holdMs,
        levels: plan.levels,
        passes: plan.passes,
        singleReps: plan.singleReps,
        streamSeconds: streamSeconds(prompt.tokens),
      };
      // Scenario 8's second app (output moderation off), started and warmed up beside the first.
      // It starts (and opens its database) while the first app warms up: nothing is measured then.
      let unmoderated: Stack | null = null;
      const starting = args.only.has("moderation") ? startUnmoderatedApp({ dir, sim, modelsConfigFile: modelsFile, databaseUrl: appDbUrl, dbName: appDbName }) : null;
      starting?.then((s) => procs.push(s.app), () => {});
      if (load || starting || args.only.has("files")) await warmUp(stack, prompt, plan);
      if (starting) {
        unmoderated = await starting;
        log(`second app (output moderation off) pid ${unmoderated.app.pid} at ${unmoderated.app.url}`);
        await warmUp(unmoderated, prompt, plan, ["gateway"]);
      }
      const rest = sampleTree(app.pid);
      if (load) log(`app at rest: ${(rest.rssKb / 1024).toFixed(0)} MB RSS; processes ${rest.pids.join(", ")}`);

      const loadStartUs = monotonicUs();
      if (args.only.has("single")) {
        log(`scenario 1: one stream ×${plan.singleReps} per path`);
        result.single = await singleStream(stack, prompt, plan.singleReps);
        const { direct: d, gateway: g } = result.single;
        log(`  TTFT p50 direct ${d.ttftP50.toFixed(1)} ms, gateway ${g.ttftP50.toFixed(1)} ms; headers p50 direct ${d.headersP50.toFixed(1)} ms, gateway ${g.headersP50.toFixed(1)} ms`);
      }
      if (args.only.has("sweep")) {
        log(`scenario 2: sweep ${plan.levels.join(", ")} streams, ${plan.passes} pass(es)`);
        const targets = {
          direct: directTarget(sim.url, prompt, plan.replyTokens),
          gateway: gatewayTarget(app.url, cookie, prompt, BENCH_MODEL),
          expected: prompt,
          tokens: prompt.tokens,
          // Scenario 8 rides along: the "off" app runs next to the gateway run at its level.
          extra: unmoderated ? { level: MODERATION_LEVEL, target: gatewayTarget(unmoderated.app.url, unmoderated.cookie, prompt, BENCH_MODEL), stack: unmoderated, runs: [] as RunRecord[] } : undefined,
        };
        // Keep what the later scenarios need out of the sweep's budget, so the whole run stays within its limit.
        const sweepDeadline = Math.min(deadline, t0 + (plan.quick ? QUICK_LIMIT_MS : FULL_LIMIT_MS) - reserveAfterSweepMs(args.only, plan));
        result.sweep = await sweep(stack, targets, plan, sweepDeadline, log);
        if (unmoderated && targets.extra?.runs.length) {
          const offRuns = targets.extra.runs;
          const onRuns = offRuns.map((o) => result.sweep!.runs.find((r) => r.kind === "gateway" && r.level === o.level && r.pass === o.pass)!);
          const delay = summarizeModerationDelay(MODERATION_LEVEL, onRuns.map((r) => r.m), offRuns.map((r) => r.m), await outputChecksOf(stack), await outputChecksOf(unmoderated));
          result.moderation = { micro: null, delay };
          noteContention(notes, "scenario 8 (moderation on / off)", [...onRuns.map((r) => r.m), ...offRuns.map((r) => r.m)]);
          log(`scenario 8: gap off ÷ on at ${MODERATION_LEVEL} streams (the sweep's gateway runs): p50 ${delay.gapP50Ratio.toFixed(3)}, p99 ${delay.gapP99Ratio.toFixed(3)}, mean ${delay.gapMeanRatio.toFixed(3)}`);
        }
        result.memory = memory(rest.rssKb / 1024, result.sweep);
        result.persistence = persistence(result.sweep.runs);
        const fits = performance.now() + plan.rampMs + plan.holdMs + streamSeconds(prompt.tokens) * 1000 < sweepDeadline;
        if (!result.persistence && fits && !result.sweep.skipped.includes(PERSIST_LEVEL)) {
          log(`scenario 5: ${PERSIST_LEVEL} gateway streams (the sweep stopped before ${PERSIST_LEVEL})`);
          const m = await measuredRun(stack, { target: targets.gateway, concurrency: PERSIST_LEVEL, rampMs: plan.rampMs, holdMs: plan.holdMs, streamTimeoutMs: 120_000, expected: prompt });
          result.persistence = persistence([{ pass: 0, level: PERSIST_LEVEL, kind: "gateway", m }]);
        }
        const contended = result.sweep.runs.filter((r) => r.m.otherPct > 25);
        if (contended.length) {
          const list = contended.map((r) => `${r.level} ${r.kind} pass ${r.pass + 1}: ${r.m.otherPct.toFixed(0)}%${r.m.otherTop[0] ? ` (${r.m.otherTop[0].cmd.slice(0, 32)})` : ""}`);
          notes.push(`Shared machine: other processes used more than 25% of a core during ${contended.length} of ${result.sweep.runs.length} runs, so those figures are pessimistic — ${list.join("; ")}.`);
        }
        if (result.sweep.skipped.length) notes.push(`Levels ${result.sweep.skipped.join(", ")} were skipped: the time budget ran out.`);
      }
      const loadEndUs = monotonicUs();
      if (unmoderated && !result.moderation?.delay) {
        log(`scenario 8: gateway with output moderation on vs off, ${MODERATION_LEVEL} streams, ${plan.quick ? "A B" : "A B A B"}`);
        const delay = await moderationDelay({
          on: { stack, target: gatewayTarget(app.url, cookie, prompt, BENCH_MODEL) },
          off: { stack: unmoderated, target: gatewayTarget(unmoderated.app.url, unmoderated.cookie, prompt, BENCH_MODEL) },
          plan,
          level: MODERATION_LEVEL,
          rounds: plan.quick ? 1 : 2,
          expected: prompt,
          log,
        });
        result.moderation = { micro: null, delay };
        notes.push(`Scenario 8 ran on its own (the sweep did not run at ${MODERATION_LEVEL} streams), A B per round.`);
        log(`  inter-token gap off ÷ on: p50 ${delay.gapP50Ratio.toFixed(3)}, p99 ${delay.gapP99Ratio.toFixed(3)}, mean ${delay.gapMeanRatio.toFixed(3)}`);
      }
      if (args.only.has("files")) {
        log("scenario 12: uploads (100-page PDF, 12-megapixel photo) while 100 streams run");
        const { filesBench, filesNotes } = await import("./scenarios/files");
        const files = await filesBench(stack, gatewayTarget(app.url, cookie, prompt, BENCH_MODEL), { tokens: prompt.tokens, cumulative: prompt.cumulative }, plan.quick, log);
        notes.push(...filesNotes(files));
      }
      if (args.only.has("live")) {
        // Its own apps (two share one database, so PostgreSQL even when the bench runs on PGlite).
        try {
          liveResult = await liveBench({ dir, sim, prompt, plan, modelsFile, baseDbUrl: baseDbUrl ?? "postgres://postgres@127.0.0.1:5432/postgres", log });
          (result as BenchResult & { live?: LiveBenchResult }).live = liveResult;
        } catch (err) {
          notes.push(`Scenario 11 (live replies) did not run: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      await cleanupStack(procs);
      if (args.profileDir) {
        // Only the load scenarios (gateway runs, or everything from scenario 1 on when the sweep did not run):
        // not the app's start, sign-in, the database's first open or the warm-up.
        const gatewayRuns = (result.sweep?.runs ?? []).filter((r) => r.kind === "gateway").map((r): [number, number] => [r.m.monoStartUs, r.m.monoEndUs]);
        const windows: [number, number][] = gatewayRuns.length ? gatewayRuns : [[loadStartUs, loadEndUs]];
        // For other tools over the same profile (bench/profile.ts summarizeProfile takes them).
        fs.writeFileSync(path.join(args.profileDir, "windows.json"), JSON.stringify(windows));
        for (const file of fs.readdirSync(args.profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
          const summary = summarizeProfile(path.join(args.profileDir, file), windows);
          console.log(summary);
          profileText += `${summary}\n\n`;
          notes.push(`CPU profile: ${path.join(args.profileDir, file)} (summary printed on the console)`);
        }
      }
    }

    if (args.only.has("context")) {
      // The app is stopped: this runs alone, in this process, on the bench's own database.
      if (appDbUrl) process.env.DATABASE_URL = appDbUrl;
      else {
        process.env.DATABASE_URL = "";
        process.env.PGLITE_DIR = "memory://";
      }
      log("scenario 4: context assembly (10 / 1,000 / 10,000 messages)");
      result.context = await contextAssembly(plan.contextReps);
      for (const s of result.context.sizes) log(`  ${s.messages} messages: p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms`);
      for (const h of result.context.hostileTokenize) log(`  tokenizing 100 k chars of ${h.shape}: ${h.ms.toFixed(1)} ms`);
    }

    if (args.only.has("branches")) {
      // Like scenario 4, in this process: a fresh database of its own on the bench's PostgreSQL server
      // (created and dropped by the scenario), or PGlite in memory.
      process.env.DATABASE_URL = baseDbUrl ?? "";
      process.env.PGLITE_DIR = "memory://";
      (await import("@/lib/env")).resetEnvForTests();
      log(`scenario 9: branches (active path of a 2,000-message, 50-branch conversation, ${plan.quick ? "quick" : "full"})`);
      const { branchPath } = await import("./scenarios/branch-path");
      result.branches = await branchPath({ quick: plan.quick });
      process.env.DATABASE_URL = appDbUrl ?? "";
      for (const r of result.branches.rows) log(`  ${r.name}: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`);
    }

    if (args.only.has("admin")) {
      // Like scenario 9, in this process, on a fresh database of its own (PostgreSQL when DATABASE_URL is set).
      process.env.DATABASE_URL = baseDbUrl ?? "";
      process.env.PGLITE_DIR = "memory://";
      process.env.LOG_LEVEL ??= "warn";
      (await import("@/lib/env")).resetEnvForTests();
      const rows = args.adminRows ?? (plan.quick || !baseDbUrl ? 1_000_000 : 10_000_000);
      log(`scenario 11: admin charts over rollups of ${rows.toLocaleString("en")} usage_events rows, and saves with/without the rollup job`);
      const { adminBench } = await import("./scenarios/admin");
      result.admin = await adminBench({ rows, saves: plan.quick ? 1_200 : 4_000, log });
      process.env.DATABASE_URL = appDbUrl ?? "";
    }

    if (args.only.has("moderation")) {
      (await import("@/lib/env")).resetEnvForTests();
      log("scenario 8: streaming moderator cost per token (in process)");
      const micro = moderationBench({ replies: plan.quick ? 100 : 400 });
      result.moderation = { micro, delay: result.moderation?.delay ?? null };
      for (const c of micro.cases) log(`  ${c.name}: p50 ${c.perTokenP50Us.toFixed(2)} µs, p99 ${c.perTokenP99Us.toFixed(2)} µs per token`);
    }

    if (args.only.has("routing")) {
      // Last: it starts four simulator replicas of its own and routes through the gateway's router in
      // this process (its module sets ROUTER_* defaults in process.env when loaded, so it is loaded here).
      log(`scenario 10: routing (4 replicas; round-robin, least-load, least-load + affinity, one replica killed)${plan.quick ? ", quick" : ""}`);
      const { runRoutingBench } = await import("./scenarios/routing");
      const { results, table } = await runRoutingBench(plan.quick);
      result.routing = { quick: plan.quick, results, heading: table.split("\n", 1)[0] };
      for (const r of results) log(`  ${r.name}: TTFT p50 ${r.ttftP50.toFixed(0)} ms, hit rate ${(100 * r.hitRate).toFixed(1)}%, ${r.repliesPerS.toFixed(2)} replies/s`);
    }
    if (args.only.has("tools")) {
      log(`scenario 13: tools (code interpreter time to first output and throughput; the loop's overhead per step; 100 streams beside code runs)${plan.quick ? ", quick" : ""}`);
      const { toolsBench } = await import("./scenarios/tools");
      const { toolLoopBench } = await import("./scenarios/tool-loop");
      const interpreter = await toolsBench(plan.quick ? { runs: 8, throughputRuns: 8 } : {});
      const loop = await toolLoopBench({ quick: plan.quick });
      result.tools = { interpreter, loop };
      if ("firstOutput" in interpreter) log(`  code run: first output p50 ${interpreter.firstOutput.p50Ms.toFixed(0)} ms, ${interpreter.throughput.runsPerSecond.toFixed(2)} runs/s`);
      log(`  loop overhead per step: p50 ${loop.overhead.p50Ms.toFixed(2)} ms, p95 ${loop.overhead.p95Ms.toFixed(2)} ms`);
      if ("ratio" in loop.delivered) log(`  100 streams with code running beside: ${loop.delivered.ratio.toFixed(3)} of the tokens/s without`);
    }
  } finally {
    await cleanup();
  }

  result.meta.durationS = (performance.now() - t0) / 1000;
  const files = writeResults(result, path.join(root, "bench", "results"));
  console.log("\n" + markdown(result));
  if (liveResult) {
    console.log(liveMarkdown(liveResult));
    fs.appendFileSync(files.md, `\n${liveMarkdown(liveResult)}`);
  }
  if (profileText) fs.writeFileSync(files.md.replace(/\.md$/, "-profile.txt"), profileText);
  console.log(`results: ${path.relative(process.cwd(), files.md)}, ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.svg)}`);
}

/** What a whole run may take (the README's promise: 10 minutes, 2 with --quick), with a margin for the report. */
const FULL_LIMIT_MS = 580_000;
const QUICK_LIMIT_MS = 105_000;

/** Gateway streams of the moderation on/off comparison (the issue's "e.g. 100 streams"). */
const MODERATION_LEVEL = 100;

/**
 * What the scenarios after the sweep take on this machine (measured, with some room), kept out of the
 * sweep's time budget: moderation on/off (rounds × 2 runs at 100 streams), context, branches (seeding
 * the trees), moderator cost, routing (four strategies, fresh replicas for each).
 */
function reserveAfterSweepMs(only: Set<Scenario>, plan: Plan): number {
  const run = plan.rampMs + plan.holdMs + streamSeconds(plan.replyTokens) * 1000 + 3_500;
  let ms = 0;
  // With the sweep, moderation's runs are part of it (one more run at 100 streams per pass).
  if (only.has("moderation") && !only.has("sweep")) ms += (plan.quick ? 2 : 4) * run + 2_000;
  if (only.has("context")) ms += plan.quick ? 8_000 : 25_000;
  if (only.has("files")) ms += 60_000; // scenario 12: four loads of 100 streams and the uploads
  if (only.has("branches")) ms += plan.quick ? 5_000 : 25_000;
  if (only.has("routing")) ms += plan.quick ? 28_000 : 60_000;
  if (only.has("live")) ms += plan.quick ? 60_000 : 110_000;
  if (only.has("tools")) ms += plan.quick ? 40_000 : 70_000;
  return ms;
}

/** A note when other processes on the shared machine used more than a quarter of a core during a comparison's runs. */
function noteContention(notes: string[], what: string, runs: Measured[]): void {
  const busy = runs.map((m) => m.otherPct).filter((p) => p > 25);
  if (busy.length) notes.push(`Shared machine: other processes used ${busy.map((p) => `${p.toFixed(0)}%`).join(", ")} of a core during ${busy.length} of the ${runs.length} runs of ${what}, so its ratios are noisy.`);
}

async function cleanupStack(procs: (Proc | App)[]): Promise<void> {
  while (procs.length) await procs.pop()!.stop();
}

/** What the gateway sends upstream for a message: the echo model replies with exactly that. */
/** JIT, connection pools and the database warmed on both paths, then settle before "at rest". */
async function warmUp(stack: Stack, prompt: ReturnType<typeof benchPrompt>, plan: Plan, kinds = ["direct", "gateway"]): Promise<void> {
  const expected = { tokens: prompt.tokens, cumulative: prompt.cumulative };
  const targets = [directTarget(stack.sim.url, prompt, plan.replyTokens), gatewayTarget(stack.app.url, stack.cookie, prompt, BENCH_MODEL)];
  for (const target of targets.filter((t) => kinds.includes(t.kind))) {
    const r = await runLevel({ target, concurrency: plan.quick ? 20 : 50, rampMs: 500, holdMs: 0, streamTimeoutMs: 60_000, expected });
    if (r.errors) throw new Error(`warm-up ${target.kind}: ${r.errors} errors ${JSON.stringify(r.errorKinds)}`);
    if (r.mismatched) throw new Error(`warm-up ${target.kind}: ${r.mismatched} replies of the wrong length`);
  }
  await waitIdle(stack);
  await sleep(plan.quick ? 1_000 : 2_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
