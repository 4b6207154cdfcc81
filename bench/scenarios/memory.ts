// Scenario 3: the app's memory. RSS at rest (signed in, database open, warmed up, idle), the cost of
// each open stream (least-squares slope, over the sweep's gateway runs, of the RSS plateau minus the
// RSS just before that run: relative to each run's own baseline, so drift of the resting footprint —
// PGlite's memory, heap growth — does not count), and the RSS and JS heap after each pass of the
// sweep once every stream has ended: they must not grow from pass to pass.
import { median, slope } from "../stats";
import type { SweepResult } from "./sweep";

export const PER_STREAM_TARGET_KB = 100;
/** "No growth" tolerance between passes: allocator and heap noise, not retained streams. */
export const GROWTH_TOLERANCE_MB = 10;

export interface MemoryResult {
  restMb: number;
  slopeKbPerStream: number;
  /** (plateau at the highest level − rest) / streams. */
  topLevel: number;
  perStreamAtTopKb: number;
  /** (plateau − before) / N per level, KB. */
  perLevelKb: { level: number; kbPerStream: number }[];
  /** Which passes the per-stream figures use. */
  passesUsed: number[];
  rssAfterPassMb: number[];
  heapAfterPassMb: number[];
  growthMb: number;
  heapGrowthMb: number;
}

export function memory(restMb: number, sweep: SweepResult): MemoryResult {
  // With two passes or more, the first is left out: the resting footprint is still settling then
  // (PGlite hands back hundreds of MB during the first minute), which swamps a few MB per level.
  const all = sweep.runs.filter((r) => r.kind === "gateway");
  const later = all.filter((r) => r.pass > 0);
  const g = new Set(later.map((r) => r.level)).size >= 2 ? later : all;
  const added = (r: (typeof g)[number]) => r.m.appRssPlateauKb - r.m.appRssBeforeKb;
  const xs = g.map((r) => r.level);
  const top = Math.max(...xs);
  const atTop = g.filter((r) => r.level === top).map((r) => added(r) / top);
  const levels = [...new Set(xs)].sort((a, b) => a - b);
  const perLevelKb = levels.map((l) => ({ level: l, kbPerStream: median(g.filter((r) => r.level === l).map((r) => added(r) / l)) }));
  const after = sweep.rssAfterPassMb;
  const heap = sweep.heapAfterPassMb;
  return {
    restMb,
    slopeKbPerStream: slope(xs, g.map(added)),
    topLevel: top,
    perStreamAtTopKb: median(atTop),
    perLevelKb,
    passesUsed: [...new Set(g.map((r) => r.pass + 1))],
    rssAfterPassMb: after,
    heapAfterPassMb: heap,
    growthMb: after.length >= 2 ? after[after.length - 1] - after[0] : NaN,
    heapGrowthMb: heap.length >= 2 ? heap[heap.length - 1] - heap[0] : NaN,
  };
}
