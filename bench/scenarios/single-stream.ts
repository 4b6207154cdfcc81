// Scenario 1: one stream at a time, N repetitions per path, alternating direct and gateway (A B A B)
// over warm connections. Short replies (the catalog's bench-short model, same upstream settings):
// only the time to first token is measured here, so the reply length does not matter.
import { makePool, runLevel, type ExpectedReply } from "../loadgen";
import type { Stack } from "../measure";
import { percentile } from "../stats";
import { directTarget, gatewayTarget } from "../targets";
import type { BenchPrompt } from "../prompt";
import { BENCH_SHORT_MODEL, SHORT_TOKENS } from "../config";

export interface PathTimes {
  ttftP50: number;
  ttftP99: number;
  /** Time to the response headers: the gateway sends them once its work before the upstream call is done. */
  headersP50: number;
  ttftMs: number[];
}

export interface SingleStreamResult {
  reps: number;
  direct: PathTimes;
  gateway: PathTimes;
  /** gateway − direct, of the percentiles. */
  addedP50: number;
  addedP99: number;
  /** Median of the per-repetition differences (pairs A B run back to back). */
  addedPairedMedian: number;
  errors: number;
}

export async function singleStream(stack: Stack, prompt: BenchPrompt, reps: number): Promise<SingleStreamResult> {
  const expected: ExpectedReply = { tokens: SHORT_TOKENS, cumulative: prompt.cumulative.slice(0, SHORT_TOKENS) };
  const direct = directTarget(stack.sim.url, prompt, SHORT_TOKENS);
  const gateway = gatewayTarget(stack.app.url, stack.cookie, prompt, BENCH_SHORT_MODEL);
  const pools = { direct: makePool(direct.origin, 30_000), gateway: makePool(gateway.origin, 30_000) };
  const ttft = { direct: [] as number[], gateway: [] as number[] };
  const headers = { direct: [] as number[], gateway: [] as number[] };
  let errors = 0;
  try {
    for (let i = 0; i < reps; i++) {
      // ABBA order inside each pair of repetitions, so neither path always goes first.
      const order = i % 2 === 0 ? [direct, gateway] : [gateway, direct];
      for (const target of order) {
        const r = await runLevel({ target, concurrency: 1, rampMs: 0, holdMs: 0, streamTimeoutMs: 30_000, expected, pool: pools[target.kind] });
        errors += r.errors;
        ttft[target.kind].push(r.ttftMs[0] ?? NaN);
        headers[target.kind].push(r.headersMs[0] ?? NaN);
        // Let the gateway save the reply before the next stream, so one stream runs at a time.
        await new Promise((res) => setTimeout(res, 30));
      }
    }
  } finally {
    await Promise.all([pools.direct.close(), pools.gateway.close()]);
  }
  const stat = (v: number[], h: number[]): PathTimes => ({ ttftP50: percentile(v, 50), ttftP99: percentile(v, 99), headersP50: percentile(h, 50), ttftMs: v });
  const d = stat(ttft.direct, headers.direct);
  const g = stat(ttft.gateway, headers.gateway);
  return {
    reps,
    direct: d,
    gateway: g,
    addedP50: g.ttftP50 - d.ttftP50,
    addedP99: g.ttftP99 - d.ttftP99,
    addedPairedMedian: percentile(
      ttft.gateway.map((v, i) => v - ttft.direct[i]),
      50,
    ),
    errors,
  };
}
