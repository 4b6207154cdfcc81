// Code interpreter figures (issue 15): time to first output with the warm pool (target p50 ≤ 300 ms)
// and throughput on this machine's cores. Each run takes a warm, sandboxed interpreter from the pool
// (the tool's own path: take → run → discard) and prints one line; time to first output is from the
// request to the result carrying that line (the result is the first output the loop receives).
// Throughput runs back to back with `concurrency` at once, so it includes the start-up of the
// replacement interpreters (every run consumes one): the steady-state rate the host sustains.
//
// Standalone: npx tsx bench/scenarios/tools.ts [--runs=20] [--throughput=24] [--concurrency=2]
import os from "node:os";
import { probeIsolation } from "@/lib/tools/python/isolation";
import { InterpreterPool } from "@/lib/tools/python/pool";
import { percentile } from "../stats";

export const FIRST_OUTPUT_P50_TARGET_MS = 300;

export interface ToolsBenchResult {
  isolation: string;
  cores: number;
  poolSize: number;
  firstOutput: { runs: number; p50Ms: number; p95Ms: number; maxMs: number };
  throughput: { runs: number; concurrency: number; seconds: number; runsPerSecond: number; failures: number };
}

const CODE = 'print("hello from the sandbox", sum(range(1000)))';

export async function toolsBench(opts: { runs?: number; throughputRuns?: number; concurrency?: number; poolSize?: number } = {}): Promise<ToolsBenchResult | { skipped: string }> {
  const iso = probeIsolation();
  if (!iso.ok) return { skipped: iso.reason };
  const runs = opts.runs ?? 20;
  const throughputRuns = opts.throughputRuns ?? 24;
  const concurrency = opts.concurrency ?? 2;
  const poolSize = opts.poolSize ?? 2;
  const limits = { timeoutMs: 30_000, memoryMb: 512, maxFileBytes: 1 << 20, maxTotalBytes: 4 << 20 };
  const pool = new InterpreterPool(iso, limits, poolSize);
  const never = new AbortController().signal;
  try {
    await pool.whenWarm();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Time to first output with a warm pool: wait for the pool to be full again between runs.
      await pool.whenWarm();
      const t0 = performance.now();
      const out = await (await pool.take()).run(CODE, never);
      if (!out.stdout.startsWith("hello")) throw new Error(`run failed: ${out.status} ${out.error ?? ""}`);
      times.push(performance.now() - t0);
    }
    await pool.whenWarm();
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < throughputRuns) {
          next++;
          const out = await (await pool.take()).run(CODE, never);
          if (out.status !== "ok") failures++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return {
      isolation: iso.via,
      cores: os.availableParallelism(),
      poolSize,
      firstOutput: { runs, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: Math.max(...times) },
      throughput: { runs: throughputRuns, concurrency, seconds, runsPerSecond: throughputRuns / seconds, failures },
    };
  } finally {
    pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1]) || undefined;
  const result = await toolsBench({ runs: arg("runs"), throughputRuns: arg("throughput"), concurrency: arg("concurrency") });
  console.log(JSON.stringify(result, null, 2));
  if ("firstOutput" in result) {
    const ok = result.firstOutput.p50Ms <= FIRST_OUTPUT_P50_TARGET_MS ? "meets" : "misses";
    console.log(`| code interpreter time to first output (warm pool) | p50 ${result.firstOutput.p50Ms.toFixed(0)} ms, p95 ${result.firstOutput.p95Ms.toFixed(0)} ms | target ≤ ${FIRST_OUTPUT_P50_TARGET_MS} ms (${ok}) |`);
    console.log(`| code interpreter throughput (${result.cores} cores, ${result.throughput.concurrency} at once) | ${result.throughput.runsPerSecond.toFixed(2)} runs/s | each run costs one interpreter start-up |`);
  }
  process.exit(0);
}
