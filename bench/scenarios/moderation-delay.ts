// Issue 9's figure "output moderation adds no visible delay to benign text": the same gateway load
// through two app servers that differ only in SAFETY_CONFIG — one with the streaming output moderator
// on (the default), one with `stream.enabled: false` (lib/safety/output.ts then attaches no filter) —
// run alternately A B A B at one level, on the bench's simulator and database. Both apps are started
// fresh for this (same build, same catalog, same kind of database), so neither carries the sweep's
// heap or data. The figure is the inter-token gap without / with moderation (≥ 0.98: gaps at most ~2%
// longer with it), paired per round, median over rounds. Whether each app really moderated is
// checked from its own metrics (safety_checks_total{direction="output"}).
import fs from "node:fs";
import path from "node:path";
import { streamSeconds, type Plan } from "../config";
import type { ExpectedReply, Target } from "../loadgen";
import { runLevel } from "../loadgen";
import { measuredRun, scrape, waitIdle, type Measured, type Stack } from "../measure";
import { median, percentile } from "../stats";
import { signInGuest, startApp, type App, type Proc } from "../stack";

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

interface Side {
  name: "on" | "off";
  stack: Stack;
  target: Target;
  measured: Measured[];
  checks: number;
}

const outputChecks = (s: Map<string, number>) => {
  let n = 0;
  for (const [series, v] of s) if (series.startsWith("safety_checks_total{") && series.includes('direction="output"')) n += v;
  return n;
};

export async function moderationDelay(opts: {
  dir: string;
  sim: Proc;
  modelsConfigFile: string;
  databaseUrl: string | null;
  dbName: string | null;
  plan: Plan;
  level: number;
  rounds: number;
  expected: ExpectedReply;
  gatewayTarget: (app: App, cookie: string) => Target;
  log: (line: string) => void;
}): Promise<ModerationDelayResult> {
  const apps: App[] = [];
  try {
    const sides: Side[] = [];
    for (const name of ["on", "off"] as const) {
      const dir = path.join(opts.dir, `moderation-${name}`);
      fs.mkdirSync(dir, { recursive: true });
      const safetyFile = path.join(dir, "safety.json");
      fs.writeFileSync(safetyFile, JSON.stringify({ stream: { enabled: name === "on" } }));
      // PGlite: each app its own embedded database; PostgreSQL: both on the bench's database.
      const app = await startApp({ dir, inferenceUrl: opts.sim.url, modelsConfigFile: opts.modelsConfigFile, databaseUrl: opts.databaseUrl, env: { SAFETY_CONFIG: safetyFile } });
      apps.push(app);
      const cookie = await signInGuest(app.url);
      const stack: Stack = { sim: opts.sim, app, cookie, dbName: opts.dbName };
      const target = opts.gatewayTarget(app, cookie);
      // Warm-up: JIT, connection pool, the database's first writes.
      const warm = await runLevel({ target, concurrency: opts.plan.quick ? 20 : 50, rampMs: 500, holdMs: 0, streamTimeoutMs: 60_000, expected: opts.expected });
      if (warm.errors || warm.mismatched) throw new Error(`moderation ${name}: warm-up had ${warm.errors} errors, ${warm.mismatched} replies of the wrong length`);
      await waitIdle(stack);
      opts.log(`  app with output moderation ${name}: pid ${app.pid}, started in ${app.startupMs.toFixed(0)} ms`);
      sides.push({ name, stack, target, measured: [], checks: 0 });
    }
    const streamMs = streamSeconds(opts.expected.tokens) * 1000;
    const runs: ModerationDelayResult["runs"] = [];
    // A B A B: each round runs both, so a drift of the shared machine hits both sides alike.
    for (let round = 0; round < opts.rounds; round++) {
      for (const side of sides) {
        const before = outputChecks(await scrape(side.stack.app));
        const m = await measuredRun(side.stack, {
          target: side.target,
          concurrency: opts.level,
          rampMs: opts.plan.rampMs,
          holdMs: opts.plan.holdMs,
          streamTimeoutMs: streamMs * 4 + 30_000,
          expected: opts.expected,
        });
        side.checks += outputChecks(await scrape(side.stack.app)) - before;
        side.measured.push(m);
        const r = m.run;
        const fig = { gapP50: r.gaps.percentile(50), gapP99: r.gaps.percentile(99), gapMean: r.gaps.mean, tokensPerS: r.tokensPerS, errors: r.errors };
        runs.push({ round, moderation: side.name, ...fig });
        opts.log(
          `  round ${round + 1} moderation ${side.name.padEnd(3)} gap p50 ${fig.gapP50.toFixed(1)} p99 ${fig.gapP99.toFixed(1)} mean ${fig.gapMean.toFixed(2)} ms · ` +
            `${fig.tokensPerS.toFixed(0)} tok/s · ${r.completed}/${r.started} ok · other processes ${m.otherPct.toFixed(0)}% of a core`,
        );
      }
    }
    const figures = (s: Side): ModerationPathFigures => ({
      gapP50: median(s.measured.map((m) => m.run.gaps.percentile(50))),
      gapP99: median(s.measured.map((m) => m.run.gaps.percentile(99))),
      gapMean: median(s.measured.map((m) => m.run.gaps.mean)),
      ttftP50: median(s.measured.map((m) => percentile(m.run.ttftMs, 50))),
      tokensPerS: median(s.measured.map((m) => m.run.tokensPerS)),
      errors: s.measured.reduce((n, m) => n + m.run.errors, 0),
      streams: s.measured.reduce((n, m) => n + m.run.started, 0),
      outputChecks: s.checks,
      otherCpuPct: median(s.measured.map((m) => m.otherPct)),
    });
    const [on, off] = sides;
    const paired = (f: (m: Measured) => number, flip = false) =>
      median(on.measured.map((m, i) => (flip ? f(m) / f(off.measured[i]) : f(off.measured[i]) / f(m))));
    return {
      level: opts.level,
      rounds: opts.rounds,
      on: figures(on),
      off: figures(off),
      gapP50Ratio: paired((m) => m.run.gaps.percentile(50)),
      gapP99Ratio: paired((m) => m.run.gaps.percentile(99)),
      gapMeanRatio: paired((m) => m.run.gaps.mean),
      tokensRatio: paired((m) => m.run.tokensPerS, true),
      runs,
    };
  } finally {
    for (const app of apps.reverse()) await app.stop().catch(() => {});
  }
}
