// Routing benchmark (issue 8), standalone: `npx tsx bench/scenarios/routing.ts [--quick] [--json=file]`.
// Four simulator replicas (separate processes) with different speeds and bounded prefix caches; the
// same workload — multi-turn conversations sharing a long system prompt, each with its own long
// document — routed by round-robin, least-load, and least-load + affinity (bounded consistent
// hashing) through the gateway's real router, retry and upstream client (lib/routing, lib/gateway).
// Then affinity again with one replica killed mid-run: errors users see, and the time to eject it.
// Prints a markdown table with ratios against round-robin. Exported runRoutingBench() for bench/main.ts.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/free-port";
import { percentile } from "../stats";

process.env.ROUTER_POLL_MS ??= "1000";
process.env.ROUTER_FAILURE_THRESHOLD ??= "3";
process.env.ROUTER_OPEN_MS ??= "2000";

const root = path.resolve(import.meta.dirname, "../..");

interface Options {
  conversations: number;
  turns: number;
  replyTokens: number;
  /** Prefix-cache capacity per replica (tokens). */
  cacheTokens: number;
}

const FULL: Options = { conversations: 48, turns: 6, replyTokens: 48, cacheTokens: 120_000 };
// turns 3 (was 4) keeps `npm run bench -- --quick` within its 2 minutes.
const QUICK: Options = { conversations: 24, turns: 3, replyTokens: 32, cacheTokens: 60_000 };

/** Replica profiles: fast to slow (prefill tokens/s, decode tokens/s), 16 sequences each. */
const SPEEDS = [
  { prefill: 12_000, decode: 80 },
  { prefill: 9_000, decode: 60 },
  { prefill: 6_000, decode: 45 },
  { prefill: 4_000, decode: 30 },
];

interface Replica {
  url: string;
  proc: ChildProcess;
}

async function startReplicas(opts: Options, dir: string): Promise<Replica[]> {
  return Promise.all(
    SPEEDS.map(async (s, i) => {
      const port = await freePort();
      const file = path.join(dir, `sim-${i}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({
          maxNumSeqs: 16,
          prefixCacheTokens: opts.cacheTokens,
          tickMs: 5,
          models: [{ name: "bench", baseTtftMs: 20, prefillTokensPerS: s.prefill, decodeTokensPerS: s.decode, batchSlowdown: 0.01 }],
        }),
      );
      const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "inference/main.ts")], {
        cwd: root,
        env: { ...process.env, INFERENCE_PORT: String(port), SIM_CONFIG: file },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
        if (Date.now() > deadline) throw new Error(`replica ${i} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return { url, proc };
    }),
  );
}

async function prefixCounters(urls: string[]): Promise<{ hits: number; queries: number }> {
  const { parsePromText, sumMetric } = await import("@/lib/routing/prom-text");
  let hits = 0;
  let queries = 0;
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => "");
    const s = parsePromText(text);
    hits += sumMetric(s, "vllm:prefix_cache_hits_total") ?? 0;
    queries += sumMetric(s, "vllm:prefix_cache_queries_total") ?? 0;
  }
  return { hits, queries };
}

// Deterministic filler text: a shared 6k-token system prompt, a 2k-token document per conversation.
const words = "routing replica cache prefix latency token model pool balance affinity queue batch stream".split(" ");
const filler = (seed: number, tokens: number) => {
  let out = "";
  let x = seed;
  while (out.length < tokens * 4) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += words[x % words.length] + " ";
  }
  return out;
};
const SYSTEM = `You are a helpful assistant. Reference manual follows.\n${filler(1, 6_000)}`;

export interface StrategyResult {
  name: string;
  ttftP50: number;
  ttftP99: number;
  hitRate: number;
  repliesPerS: number;
  tokensPerS: number;
  errorsBeforeFirstToken: number;
  errorsAfterFirstToken: number;
  retried: number;
  ejectMs: number | null;
}

async function runStrategy(
  name: string,
  strategy: "round-robin" | "least-load" | "affinity",
  opts: Options,
  replicas: Replica[],
  kill: boolean,
): Promise<StrategyResult> {
  const { resetReplicasForTests, replicaState } = await import("@/lib/routing/replicas");
  const { resetRouterForTests, pickTarget } = await import("@/lib/routing/router");
  const { ReplyRun } = await import("@/lib/gateway/reply-run");
  const { streamRouted } = await import("@/lib/gateway/pipeline/stream");
  resetReplicasForTests();
  resetRouterForTests();
  process.env.ROUTER_STRATEGY = strategy;
  (await import("@/lib/env")).resetEnvForTests();

  const model = {
    id: "bench",
    label: "bench",
    description: "",
    contextWindow: 32_000,
    maxOutputTokens: opts.replyTokens,
    encoding: "o200k_base" as const,
    pricing: { inputPerM: 1, outputPerM: 1 },
    tiers: ["free" as const],
    simulated: true,
    pools: [{ name: "bench-pool", upstreamModel: "bench", replicas: replicas.map((r) => ({ url: r.url, weight: 1 })) }],
  };
  const ttfts: number[] = [];
  let replies = 0;
  let tokens = 0;
  let errorsBefore = 0;
  let errorsAfter = 0;
  let retried = 0;
  const total = opts.conversations * opts.turns;
  let started = 0;
  let killAt: number | null = null;
  let ejectMs: number | null = null;
  const victim = replicas[1]; // a mid-speed replica

  const watchEject = () => {
    const t0 = killAt!;
    const timer = setInterval(() => {
      if (replicaState(victim.url).breaker.state === "open") {
        ejectMs = Date.now() - t0;
        clearInterval(timer);
      }
    }, 5);
    timer.unref();
  };

  const t0 = Date.now();
  const conversation = async (c: number) => {
    const messages: { role: string; content: string }[] = [
      { role: "system", content: SYSTEM },
      { role: "user", content: `Document ${c}:\n${filler(c + 7, 2_000)}\nQuestion 1 about document ${c}?` },
    ];
    for (let t = 0; t < opts.turns; t++) {
      if (kill && killAt === null && ++started >= total * 0.4) {
        killAt = Date.now();
        victim.proc.kill("SIGKILL");
        watchEject();
      } else if (!kill) started++;
      const id = `${name}-${c}`;
      let target;
      try {
        target = await pickTarget(model, "free", { affinityKey: id });
      } catch {
        errorsBefore++;
        continue;
      }
      const firstReplica = target.replica;
      const run = new ReplyRun({
        id: `${id}-${t}`,
        conversationId: id,
        userId: "bench",
        userMessageId: "",
        model: "bench",
        upstreamModel: target.upstreamModel,
        pool: target.pool,
        replica: target.replica,
        context: { omitted: 0, summarized: false, promptTokens: 0 },
      });
      const done = new Promise<void>((resolve) => run.onEnd(() => resolve()));
      streamRouted(run, { model, tier: "free", assignment: null, affinityKey: id }, target, {
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: opts.replyTokens,
      });
      await done;
      if (run.replica !== firstReplica) retried++;
      const r = run.result!;
      if (r.finishReason === "error") {
        if (run.firstTokenAt === null) errorsBefore++;
        else errorsAfter++;
      } else {
        replies++;
        tokens += r.usage?.completionTokens ?? 0;
        if (run.ttftMs !== null) ttfts.push(run.ttftMs);
      }
      messages.push({ role: "assistant", content: run.content }, { role: "user", content: `Follow-up ${t + 2} about document ${c}?` });
      await new Promise((r) => setTimeout(r, 50 + ((c * 37 + t * 11) % 150))); // think time
    }
  };
  await Promise.all(Array.from({ length: opts.conversations }, (_, c) => conversation(c)));
  const seconds = (Date.now() - t0) / 1000;
  // Replicas start fresh for every strategy, so the counters are this run's; a killed replica's are lost.
  const after = await prefixCounters(replicas.filter((r) => !(kill && r === victim)).map((r) => r.url));
  return {
    name,
    ttftP50: percentile(ttfts, 50),
    ttftP99: percentile(ttfts, 99),
    hitRate: after.hits / Math.max(1, after.queries),
    repliesPerS: replies / seconds,
    tokensPerS: tokens / seconds,
    errorsBeforeFirstToken: errorsBefore,
    errorsAfterFirstToken: errorsAfter,
    retried,
    ejectMs,
  };
}

export async function runRoutingBench(quick = false): Promise<{ results: StrategyResult[]; table: string }> {
  const opts = quick ? QUICK : FULL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-routing-"));
  const results: StrategyResult[] = [];
  let replicas: Replica[] = [];
  const stopAll = () => replicas.forEach((r) => r.proc.exitCode === null && r.proc.kill("SIGTERM"));
  try {
    // Fresh replicas (empty caches) for every strategy, so no run inherits another's cache.
    for (const [name, strategy] of [
      ["round-robin", "round-robin"],
      ["least-load", "least-load"],
      ["least-load + affinity", "affinity"],
    ] as const) {
      replicas = await startReplicas(opts, dir);
      results.push(await runStrategy(name, strategy, opts, replicas, false));
      stopAll();
    }
    replicas = await startReplicas(opts, dir);
    results.push(await runStrategy("affinity, 1 replica killed at 40%", "affinity", opts, replicas, true));
  } finally {
    stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rr = results[0];
  const ratio = (v: number, b: number) => (Number.isFinite(v / b) ? `${(v / b).toFixed(2)}×` : "–");
  const lines = [
    `Routing: ${opts.conversations} conversations × ${opts.turns} turns, 6k-token shared system prompt + 2k-token document each, ` +
      `${opts.replyTokens}-token replies; 4 replicas (prefill 12k/9k/6k/4k tok/s, decode 80/60/45/30 tok/s, 16 seqs, ` +
      `${opts.cacheTokens / 1000}k-token prefix cache each)`,
    "",
    "| strategy | TTFT p50 ms | TTFT p99 ms | prefix-cache hit rate | replies/s | tokens/s | errors before 1st token | errors after | retried | time to eject |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.ttftP50.toFixed(0)} (${ratio(r.ttftP50, rr.ttftP50)}) | ${r.ttftP99.toFixed(0)} (${ratio(r.ttftP99, rr.ttftP99)}) | ` +
        `${(100 * r.hitRate).toFixed(1)}% (${ratio(r.hitRate, rr.hitRate)}) | ${r.repliesPerS.toFixed(2)} (${ratio(r.repliesPerS, rr.repliesPerS)}) | ` +
        `${r.tokensPerS.toFixed(0)} | ${r.errorsBeforeFirstToken} | ${r.errorsAfterFirstToken} | ${r.retried} | ${r.ejectMs === null ? "–" : `${r.ejectMs} ms`} |`,
    ),
  ];
  return { results, table: lines.join("\n") };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const quick = process.argv.includes("--quick");
  const jsonArg = process.argv.find((a) => a.startsWith("--json="));
  runRoutingBench(quick).then(
    ({ results, table }) => {
      console.log(table);
      if (jsonArg) fs.writeFileSync(jsonArg.slice(7), JSON.stringify(results, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
