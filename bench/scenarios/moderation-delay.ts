// Issue 9's figure "output moderation adds no visible delay to benign text": the same gateway load
// through two app servers that differ only in SAFETY_CONFIG — the bench's app with the streaming
// output moderator on (the default), and a second one started beside it with `stream.enabled: false`
// (lib/safety/output.ts then attaches no filter), warmed up the same way — run alternately A B A B at
// one level, on the bench's simulator. The "on" app has also served the earlier scenarios (a larger
// database and heap), which can only count against moderation. Figures: the inter-token gap without ÷
// with moderation (≥ 0.98: gaps at most ~2% longer with it), paired per round, median over rounds.
// Whether each app really moderated is checked from its own metrics (safety_checks_total{direction="output"}).
import fs from "node:fs";
import path from "node:path";
import { streamSeconds, type Plan } from "../config";
import type { ExpectedReply, Target } from "../loadgen";
import { measuredRun, scrape, type Measured, type Stack } from "../measure";
import { median, percentile } from "../stats";
import { signInGuest, startApp, type Proc } from "../stack";

export const MODERATION_GAP_RATIO_TARGET = 0.98;

export interface ModerationPathFigures {
  gapP50: number;
  gapP99: number;
  gapMean: number;
  ttftP50: number;
  tokensPerS: number;
  errors: number;
  streams: number;
  /** Output moderation decisions the app counted during its runs (one per reply when on, 0 when off). */
  outputChecks: number;
  /** Other processes' CPU during the runs (shared machine), % of one core, median. */
  otherCpuPct: number;
}

export interface ModerationDelayResult {
  level: number;
  rounds: number;
  on: ModerationPathFigures;
  off: ModerationPathFigures;
  /** Without / with moderation, per round, median: ≥ 0.98 means gaps at most ~2% longer with it. */
  gapP50Ratio: number;
  gapP99Ratio: number;
  gapMeanRatio: number;
  /** Delivered tokens/s with / without moderation. */
  tokensRatio: number;
  /** The two runs of each round, in order, for the JSON. */
  runs: { round: number; moderation: "on" | "off"; gapP50: number; gapP99: number; gapMean: number; tokensPerS: number; errors: number }[];
}

/** The second app: same build, catalog and database kind as the bench's, output moderation off. */
export async function startUnmoderatedApp(opts: { dir: string; sim: Proc; modelsConfigFile: string; databaseUrl: string | null; dbName: string | null }): Promise<Stack> {
  const dir = path.join(opts.dir, "moderation-off");
  fs.mkdirSync(dir, { recursive: true });
  const safetyFile = path.join(dir, "safety.json");
  fs.writeFileSync(safetyFile, JSON.stringify({ stream: { enabled: false } }));
  // PGlite: its own embedded database in `dir`; PostgreSQL: the bench's database, shared.
  const app = await startApp({ dir, inferenceUrl: opts.sim.url, modelsConfigFile: opts.modelsConfigFile, databaseUrl: opts.databaseUrl, env: { SAFETY_CONFIG: safetyFile } });
  return { sim: opts.sim, app, cookie: await signInGuest(app.url), dbName: opts.dbName };
}

const outputChecks = (s: Map<string, number>) => {
  let n = 0;
  for (const [series, v] of s) if (series.startsWith("safety_checks_total{") && series.includes('direction="output"')) n += v;
  return n;
};

/**
 * Runs the comparison on its own (when the sweep does not run): A B A B at `level`. With the sweep,
 * main.ts instead passes the "off" app to the sweep as its extra target at that level, and the pairs
 * are the sweep's gateway runs and the runs beside them (see summarizeModerationDelay).
 */
export async function moderationDelay(opts: {
  on: { stack: Stack; target: Target };
  off: { stack: Stack; target: Target };
  plan: Plan;
  level: number;
  rounds: number;
  expected: ExpectedReply;
  log: (line: string) => void;
}): Promise<ModerationDelayResult> {
  const on: Measured[] = [];
  const off: Measured[] = [];
  const streamMs = streamSeconds(opts.expected.tokens) * 1000;
  const checks0 = [outputChecks(await scrape(opts.on.stack.app)), outputChecks(await scrape(opts.off.stack.app))];
  for (let round = 0; round < opts.rounds; round++) {
    for (const [name, side, list] of [["on", opts.on, on], ["off", opts.off, off]] as const) {
      const m = await measuredRun(side.stack, {
        target: side.target,
        concurrency: opts.level,
        rampMs: opts.plan.rampMs,
        holdMs: opts.plan.holdMs,
        streamTimeoutMs: streamMs * 4 + 30_000,
        expected: opts.expected,
      });
      list.push(m);
      const r = m.run;
      opts.log(
        `  round ${round + 1} moderation ${name.padEnd(3)} gap p50 ${r.gaps.percentile(50).toFixed(1)} p99 ${r.gaps.percentile(99).toFixed(1)} mean ${r.gaps.mean.toFixed(2)} ms · ` +
          `${r.tokensPerS.toFixed(0)} tok/s · ${r.completed}/${r.started} ok · other processes ${m.otherPct.toFixed(0)}% of a core`,
      );
    }
  }
  const checks = [outputChecks(await scrape(opts.on.stack.app)) - checks0[0], outputChecks(await scrape(opts.off.stack.app)) - checks0[1]];
  return summarizeModerationDelay(opts.level, on, off, checks[0], checks[1]);
}

/** Output moderation decisions an app has counted since it started. */
export async function outputChecksOf(stack: Stack): Promise<number> {
  return outputChecks(await scrape(stack.app));
}

/**
 * Pairs run i of each side (a round); ratios per round, medians over rounds. `onChecks`/`offChecks`:
 * output decisions each app counted over the runs (or, from the sweep, over its life: the "on" app's
 * then include its other runs, the "off" app's must still be 0).
 */
export function summarizeModerationDelay(level: number, onRuns: Measured[], offRuns: Measured[], onChecks: number, offChecks: number): ModerationDelayResult {
  const rounds = Math.min(onRuns.length, offRuns.length);
  const figures = (ms: Measured[], checks: number): ModerationPathFigures => ({
    gapP50: median(ms.map((m) => m.run.gaps.percentile(50))),
    gapP99: median(ms.map((m) => m.run.gaps.percentile(99))),
    gapMean: median(ms.map((m) => m.run.gaps.mean)),
    ttftP50: median(ms.map((m) => percentile(m.run.ttftMs, 50))),
    tokensPerS: median(ms.map((m) => m.run.tokensPerS)),
    errors: ms.reduce((n, m) => n + m.run.errors, 0),
    streams: ms.reduce((n, m) => n + m.run.started, 0),
    outputChecks: checks,
    otherCpuPct: median(ms.map((m) => m.otherPct)),
  });
  const on = onRuns.slice(0, rounds);
  const off = offRuns.slice(0, rounds);
  const paired = (f: (m: Measured) => number, flip = false) => median(on.map((m, i) => (flip ? f(m) / f(off[i]) : f(off[i]) / f(m))));
  const fig = (m: Measured) => ({ gapP50: m.run.gaps.percentile(50), gapP99: m.run.gaps.percentile(99), gapMean: m.run.gaps.mean, tokensPerS: m.run.tokensPerS, errors: m.run.errors });
  return {
    level,
    rounds,
    on: figures(on, onChecks),
    off: figures(off, offChecks),
    gapP50Ratio: paired((m) => m.run.gaps.percentile(50)),
    gapP99Ratio: paired((m) => m.run.gaps.percentile(99)),
    gapMeanRatio: paired((m) => m.run.gaps.mean),
    tokensRatio: paired((m) => m.run.tokensPerS, true),
    runs: on.flatMap((m, round) => [
      { round, moderation: "on" as const, ...fig(m) },
      { round, moderation: "off" as const, ...fig(off[round]) },
    ]),
  };
}
