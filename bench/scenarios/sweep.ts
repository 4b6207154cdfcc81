// Scenario 2 (and the data of 3 and 5): the concurrency sweep. Each pass runs every level once per
// path, direct and gateway back to back (A B in odd passes, B A in even ones, so drift and order
// cancel); rounds are passes, and figures are medians over them. Running the sweep twice is also
// the memory check: the app's RSS after each pass must not grow. Pass 1 stops at the knee: the first
// level where the gateway delivers < 0.95 of direct's tokens/s or any stream fails.
import os from "node:os";
import { streamSeconds, type Plan } from "../config";
import type { ExpectedReply, Target } from "../loadgen";
import { heapUsedMb, measuredRun, type Measured, type Stack } from "../measure";
import { sampleTree } from "../proc";
import { median, percentile } from "../stats";
import { sleep } from "../stack";

const CORES = os.cpus().length;

export const RATIO_TARGET = 0.95;
/** The level several of the issue's targets are stated at. */
export const TARGET_LEVEL = 500;

export interface RunRecord {
  pass: number;
  level: number;
  kind: "direct" | "gateway";
  m: Measured;
}

export interface PathFigures {
  ttftP50: number;
  ttftP99: number;
  gapP50: number;
  gapP99: number;
  /** Share of tokens that arrived in the same read as the previous one (coalescing). */
  gapZeroShare: number;
  tokensPerS: number;
  errors: number;
  mismatched: number;
  streams: number;
  simCpuPct: number;
  loadgenCpuPct: number;
  machineBusyPct: number;
  /** CPU used by everything else on the machine (other users' processes), % of a core. */
  otherCpuPct: number;
  tokensPerDelta: number;
}

export interface LevelSummary {
  level: number;
  rounds: number;
  direct: PathFigures;
  gateway: PathFigures;
  addedTtftP50: number;
  addedTtftP99: number;
  ratio: number;
  appCpuPerStreamMs: number;
  appCpuPer200TokensMs: number;
  /** PostgreSQL server CPU for the app's database per stream (0 on PGlite, where it is in the app). */
  dbCpuPerStreamMs: number;
  /** App CPU as % of one core during the gateway runs. */
  appCpuPct: number;
  /** Share of the app's CPU spent in the kernel (socket reads/writes). */
  appSysShare: number;
  appRssPlateauMb: number;
  appRssPeakMb: number;
  ok: boolean;
  /** Run after the sweep had stopped at the knee (for the targets stated at 500 streams). */
  beyondKnee?: boolean;
}

export interface SweepResult {
  levels: LevelSummary[];
  knee: { level: number; reason: string } | null;
  /** Levels not run because the time budget ran out (or, beyond the knee, not needed). */
  skipped: number[];
  runs: RunRecord[];
  /** App RSS (MB) once each pass has finished and settled: no growth means nothing is retained. */
  rssAfterPassMb: number[];
  /** The app's JS heap in use at the same moments (MB): growth here is retained objects, not allocator slack. */
  heapAfterPassMb: number[];
}

export interface SweepTargets {
  direct: Target;
  gateway: Target;
  expected: ExpectedReply;
  tokens: number;
  /**
   * A third target run at one level next to each gateway run (after it in even passes, before it in
   * odd ones): scenario 8's app with output moderation off, compared with the gateway run beside it.
   * Its runs go to `runs` here, not into the sweep's figures.
   */
  extra?: { level: number; target: Target; stack: Stack; runs: RunRecord[] };
}

/** Other processes on the machine (other users' work), % of one core. */
export function otherCpuPct(m: Measured): number {
  return m.otherPct;
}

function pathFigures(ms: Measured[]): PathFigures {
  const med = (f: (m: Measured) => number) => median(ms.map(f));
  return {
    ttftP50: med((m) => percentile(m.run.ttftMs, 50)),
    ttftP99: med((m) => percentile(m.run.ttftMs, 99)),
    gapP50: med((m) => m.run.gaps.percentile(50)),
    gapP99: med((m) => m.run.gaps.percentile(99)),
    gapZeroShare: med((m) => m.run.gaps.zeroShare()),
    tokensPerS: med((m) => m.run.tokensPerS),
    errors: ms.reduce((s, m) => s + m.run.errors, 0),
    mismatched: ms.reduce((s, m) => s + m.run.mismatched, 0),
    streams: ms.reduce((s, m) => s + m.run.started, 0),
    simCpuPct: med((m) => (m.simCpuMs / m.run.wallMs) * 100),
    loadgenCpuPct: med((m) => (m.run.loadgenCpuMs / m.run.wallMs) * 100),
    machineBusyPct: med((m) => m.machineBusyPct),
    otherCpuPct: med((m) => otherCpuPct(m)),
    tokensPerDelta: med((m) => (m.run.deltas ? m.run.tokens / m.run.deltas : NaN)),
  };
}

export function summarize(level: number, runs: RunRecord[], tokens: number): LevelSummary {
  const at = runs.filter((r) => r.level === level);
  const d = at.filter((r) => r.kind === "direct");
  const g = at.filter((r) => r.kind === "gateway");
  const passes = [...new Set(at.map((r) => r.pass))];
  const paired = (f: (dm: Measured, gm: Measured) => number) =>
    median(
      passes.flatMap((p) => {
        const dm = d.find((r) => r.pass === p)?.m;
        const gm = g.find((r) => r.pass === p)?.m;
        return dm && gm ? [f(dm, gm)] : [];
      }),
    );
  const direct = pathFigures(d.map((r) => r.m));
  const gateway = pathFigures(g.map((r) => r.m));
  const cpuPerStream = median(g.map((r) => r.m.appCpuMs / Math.max(1, r.m.run.started)));
  const ratio = paired((dm, gm) => gm.run.tokensPerS / dm.run.tokensPerS);
  return {
    level,
    rounds: Math.min(d.length, g.length),
    direct,
    gateway,
    addedTtftP50: paired((dm, gm) => percentile(gm.run.ttftMs, 50) - percentile(dm.run.ttftMs, 50)),
    addedTtftP99: paired((dm, gm) => percentile(gm.run.ttftMs, 99) - percentile(dm.run.ttftMs, 99)),
    ratio,
    appCpuPerStreamMs: cpuPerStream,
    appCpuPer200TokensMs: (cpuPerStream * 200) / tokens,
    dbCpuPerStreamMs: median(g.map((r) => r.m.dbCpuMs / Math.max(1, r.m.run.started))),
    appCpuPct: median(g.map((r) => (r.m.appCpuMs / r.m.run.wallMs) * 100)),
    appSysShare: median(g.map((r) => r.m.appSysMs / Math.max(1, r.m.appCpuMs))),
    appRssPlateauMb: median(g.map((r) => r.m.appRssPlateauKb / 1024)),
    appRssPeakMb: Math.max(...g.map((r) => r.m.appRssPeakKb / 1024)),
    ok: ratio >= RATIO_TARGET && direct.errors === 0 && gateway.errors === 0,
  };
}

function kneeReason(s: LevelSummary): string {
  if (s.gateway.errors || s.direct.errors) return `errors (direct ${s.direct.errors}, gateway ${s.gateway.errors})`;
  return `delivered-token ratio ${s.ratio.toFixed(3)} < ${RATIO_TARGET}`;
}

export async function sweep(
  stack: Stack,
  t: SweepTargets,
  plan: Plan,
  deadline: number,
  log: (line: string) => void,
): Promise<SweepResult> {
  const runs: RunRecord[] = [];
  const rssAfterPassMb: number[] = [];
  const heapAfterPassMb: number[] = [];
  const skipped = new Set<number>();
  const streamMs = streamSeconds(t.tokens) * 1000;
  let top = Infinity;
  let knee: SweepResult["knee"] = null;

  const one = async (pass: number, level: number, target: Target) => {
    const isExtra = target === t.extra?.target;
    const m = await measuredRun(isExtra ? t.extra!.stack : stack, {
      target,
      concurrency: level,
      rampMs: plan.rampMs,
      holdMs: plan.holdMs,
      streamTimeoutMs: streamMs * 4 + 30_000,
      expected: t.expected,
    });
    (isExtra ? t.extra!.runs : runs).push({ pass, level, kind: target.kind, m });
    const r = m.run;
    log(
      `  pass ${pass + 1} ${String(level).padStart(4)} ${isExtra ? "gateway, output moderation off" : target.kind.padEnd(7)} ` +
        `ttft p50 ${percentile(r.ttftMs, 50).toFixed(1)} p99 ${percentile(r.ttftMs, 99).toFixed(1)} ms · ` +
        `gap p99 ${r.gaps.percentile(99).toFixed(1)} ms · ${r.tokensPerS.toFixed(0)} tok/s · ` +
        `${r.completed}/${r.started} ok${r.errors ? ` · errors ${JSON.stringify(r.errorKinds)}` : ""} · ` +
        `app ${(m.appCpuMs / 1000).toFixed(1)} s CPU (${((m.appSysMs / Math.max(1, m.appCpuMs)) * 100).toFixed(0)}% kernel), ${(m.appRssPlateauKb / 1024).toFixed(0)} MB · ` +
        (m.dbCpuMs ? `db ${(m.dbCpuMs / 1000).toFixed(1)} s CPU · ` : "") +
        `sim ${((m.simCpuMs / r.wallMs) * 100).toFixed(0)}% · loadgen ${((r.loadgenCpuMs / r.wallMs) * 100).toFixed(0)}% · ` +
        `machine ${m.machineBusyPct.toFixed(0)}% of ${CORES} cores (irq ${m.irqPct.toFixed(0)}%, steal ${m.stealPct.toFixed(0)}%, other processes ${otherCpuPct(m).toFixed(0)}% of a core${
          m.otherTop[0] && m.otherTop[0].cpuMs > 500 ? `, most: ${m.otherTop[0].cmd.slice(0, 40)}` : ""
        })`,
    );
  };

  for (let pass = 0; pass < plan.passes; pass++) {
    for (const level of plan.levels) {
      if (level > top) break;
      // Both paths: ramp, hold, the last streams draining, saving and settling.
      const levelMs = (level === t.extra?.level ? 3 : 2) * (plan.rampMs + plan.holdMs + streamMs + 2_500);
      if (performance.now() + levelMs > deadline) {
        skipped.add(level);
        continue;
      }
      const order = pass % 2 === 0 ? [t.direct, t.gateway] : [t.gateway, t.direct];
      if (t.extra && level === t.extra.level) {
        if (pass % 2 === 0) order.push(t.extra.target);
        else order.unshift(t.extra.target);
      }
      for (const target of order) await one(pass, level, target);
      if (pass === 0) {
        const s = summarize(level, runs, t.tokens);
        if (!s.ok) {
          knee = { level, reason: kneeReason(s) };
          top = level;
          log(`  knee at ${level} streams: ${knee.reason}`);
          break;
        }
      }
    }
    await sleep(1_000);
    rssAfterPassMb.push(sampleTree(stack.app.pid).rssKb / 1024);
    heapAfterPassMb.push(await heapUsedMb(stack.app));
  }
  // One pass only (--quick): repeat the top level's gateway run so there are two to compare.
  if (plan.passes === 1) {
    const level = Math.max(...runs.map((r) => r.level));
    if (Number.isFinite(level) && performance.now() + plan.rampMs + plan.holdMs + streamMs < deadline) {
      await one(1, level, t.gateway);
      await sleep(1_000);
      rssAfterPassMb.push(sampleTree(stack.app.pid).rssKb / 1024);
      heapAfterPassMb.push(await heapUsedMb(stack.app));
    }
  }
  // The issue's 500-stream targets (added TTFT p99, gap p99, persistence) need a 500-stream pair even
  // when the knee came earlier: one round beyond the knee, reported as such.
  const beyond: number[] = [];
  if (knee && knee.level < TARGET_LEVEL && plan.levels.includes(TARGET_LEVEL)) {
    // Past the knee the gateway is CPU-bound: its run lasts about N × (CPU per stream at the knee).
    const kneeCpuMs = summarize(knee.level, runs, t.tokens).appCpuPerStreamMs || 0;
    const runMs = plan.rampMs + plan.holdMs + streamMs + 2_500;
    if (performance.now() + runMs + Math.max(runMs, TARGET_LEVEL * kneeCpuMs) < deadline) {
      log(`  ${TARGET_LEVEL} streams beyond the knee, one round, for the ${TARGET_LEVEL}-stream targets`);
      for (const target of [t.direct, t.gateway]) await one(0, TARGET_LEVEL, target);
      beyond.push(TARGET_LEVEL);
    } else skipped.add(TARGET_LEVEL);
  }

  const levels = [...new Set(runs.map((r) => r.level))]
    .sort((a, b) => a - b)
    .map((l) => ({ ...summarize(l, runs, t.tokens), beyondKnee: beyond.includes(l) }));
  // The knee from medians over all rounds (a later round can move it down).
  const failing = levels.find((s) => !s.ok);
  if (failing) knee = { level: failing.level, reason: kneeReason(failing) };
  return { levels, knee, skipped: [...skipped], runs, rssAfterPassMb, heapAfterPassMb };
}
