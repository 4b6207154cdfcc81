// The tool loop's figures (issue 15), in this process through the gateway's own stream step
// (lib/gateway/pipeline/stream.ts → tools.ts):
// 1. Overhead per tool step (target ≤ 5 ms beyond the tool's own time): a scripted upstream always
//    answers with a tool call whose arguments fail validation (an error result at once, no sandbox),
//    eight steps per reply. Per step: from the upstream's end of the tool-call response to its receipt
//    of the next request, minus the tool's own time — accumulating the call, running it, the events,
//    building the next body, routing it and sending it.
// 2. Delivered-token ratio: 100 ordinary streams from the simulator (its own process) with and
//    without two workers running sandboxed Python (CPU-bound, through the registry) beside them;
//    tokens per second delivered with ÷ without (target ≥ 0.95).
//
// Standalone: npx tsx bench/scenarios/tool-loop.ts [--quick]
import http from "node:http";
import type { AddressInfo } from "node:net";
import { percentile } from "../stats";
import { simConfig } from "../config";
import { startSimulator, tempDir } from "../stack";

export const STEP_OVERHEAD_TARGET_MS = 5;
export const DELIVERED_RATIO_TARGET = 0.95;

export interface ToolLoopBenchResult {
  overhead: { steps: number; p50Ms: number; p95Ms: number; maxMs: number };
  delivered: { streams: number; baseTokensPerS: number; withToolsTokensPerS: number; ratio: number; toolRuns: number } | { skipped: string };
}

const modelOf = (url: string, upstreamModel: string, maxOutputTokens: number) => ({
  id: "bench-tools",
  label: "bench",
  description: "",
  contextWindow: 32_000,
  maxOutputTokens,
  encoding: "o200k_base" as const,
  pricing: { inputPerM: 0, outputPerM: 0 },
  tiers: ["free" as const],
  simulated: true,
  tools: true,
  pools: [{ name: `bench-${upstreamModel}`, upstreamModel, replicas: [{ url, weight: 1 }] }],
});

/** An upstream that always calls `python` with broken arguments (while tools are offered), noting times. */
async function scripted() {
  const arrivals: number[] = [];
  const ends: number[] = [];
  const sse = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ id: "b", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      if (req.method !== "POST") return void res.end("{}");
      arrivals.push(performance.now());
      const body = JSON.parse(raw) as { tools?: unknown[] };
      res.writeHead(200, { "content-type": "text/event-stream" });
      const out = body.tools
        ? sse({ tool_calls: [{ index: 0, id: `c${arrivals.length}`, type: "function", function: { name: "python", arguments: "" } }] }) +
          sse({ tool_calls: [{ index: 0, function: { arguments: '{"code": ' } }] }) +
          sse({}, "tool_calls")
        : sse({ content: "done" }) + sse({}, "stop");
      res.end(`${out}data: [DONE]\n\n`, () => ends.push(performance.now()));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, ends, close: () => server.close() };
}

async function reply(model: ReturnType<typeof modelOf>, id: string, body: Record<string, unknown>, loop: { tools: never[]; maxSteps: number; userId: string } | null) {
  const { ReplyRun } = await import("@/lib/gateway/reply-run");
  const { streamRouted } = await import("@/lib/gateway/pipeline/stream");
  const { pickTarget } = await import("@/lib/routing/router");
  const target = await pickTarget(model, "free", { affinityKey: id });
  const run = new ReplyRun({ id, conversationId: "", userId: "bench", userMessageId: "", model: model.id, upstreamModel: target.upstreamModel, pool: target.pool, replica: target.replica, context: { omitted: 0, summarized: false, promptTokens: 0 } });
  const done = new Promise<void>((resolve) => run.onEnd(() => resolve()));
  streamRouted(run, { model, tier: "free", assignment: null, affinityKey: id }, target, { stream: true, stream_options: { include_usage: true }, ...body, ...(loop ? { tools: loop.tools } : {}) }, loop as never);
  await done;
  return run;
}

async function overhead(replies: number): Promise<ToolLoopBenchResult["overhead"]> {
  const up = await scripted();
  const { toolDefinitions } = await import("@/lib/tools/registry");
  const model = modelOf(up.url, "scripted", 100);
  const loop = { tools: toolDefinitions() as never[], maxSteps: 8, userId: "bench" };
  const gaps: number[] = [];
  try {
    for (let i = 0; i < replies; i++) {
      const first = up.arrivals.length;
      const run = await reply(model, `loop-${i}`, { messages: [{ role: "user", content: "go" }], max_tokens: 50 }, loop);
      if (run.toolSteps.length !== 8) throw new Error(`expected 8 steps, got ${run.toolSteps.length} (${run.result?.finishReason})`);
      for (let k = 0; k < 8; k++) {
        const toolMs = run.toolSteps[k].results[0]?.durationMs ?? 0;
        if (i > 0) gaps.push(up.arrivals[first + k + 1] - up.ends[first + k] - toolMs); // the first reply warms up
      }
    }
  } finally {
    up.close();
  }
  return { steps: gaps.length, p50Ms: percentile(gaps, 50), p95Ms: percentile(gaps, 95), maxMs: Math.max(...gaps) };
}

const BURN = "x = 0\nfor i in range(3_000_000):\n    x += i * i\nprint(x)";

async function delivered(streams: number, quick: boolean): Promise<ToolLoopBenchResult["delivered"]> {
  const { probeIsolation } = await import("@/lib/tools/python/isolation");
  const iso = probeIsolation();
  if (!iso.ok) return { skipped: iso.reason };
  const { runToolCall } = await import("@/lib/tools/registry");
  const { warmPythonPool } = await import("@/lib/tools/python");
  const sim = await startSimulator(tempDir(), { ...simConfig(), models: [{ name: "bench-stream", baseTtftMs: 50, decodeTokensPerS: 40, maxModelLen: 32_000 }] });
  const tokens = quick ? 80 : 160;
  const model = modelOf(sim.url, "bench-stream", tokens);
  const round = async () => {
    const t0 = performance.now();
    const runs = await Promise.all(
      Array.from({ length: streams }, (_, i) => reply(model, `s-${i}-${Math.random()}`, { messages: [{ role: "user", content: `Tell me about tides ${i}` }], max_tokens: tokens, ignore_eos: true }, null)),
    );
    const got = runs.reduce((n, r) => n + (r.result?.usage?.completionTokens ?? 0), 0);
    return got / ((performance.now() - t0) / 1000);
  };
  try {
    warmPythonPool();
    await round(); // warm-up
    const base = await round();
    let busy = true;
    let toolRuns = 0;
    const worker = async () => {
      while (busy) {
        await runToolCall("python", JSON.stringify({ code: BURN }), { userId: "bench", signal: new AbortController().signal });
        toolRuns++;
      }
    };
    const workers = [worker(), worker()];
    await new Promise((r) => setTimeout(r, 500)); // both are running before the streams start
    const withTools = await round();
    busy = false;
    await Promise.all(workers);
    return { streams, baseTokensPerS: base, withToolsTokensPerS: withTools, ratio: withTools / base, toolRuns };
  } finally {
    await sim.stop();
    (await import("@/lib/tools/python")).closePythonPoolForTests();
  }
}

export async function toolLoopBench(opts: { quick?: boolean } = {}): Promise<ToolLoopBenchResult> {
  return { overhead: await overhead(opts.quick ? 6 : 21), delivered: await delivered(100, opts.quick === true) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await toolLoopBench({ quick: process.argv.includes("--quick") });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
