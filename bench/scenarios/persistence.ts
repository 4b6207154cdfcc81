// Scenario 5: saving a finished reply (the assistant message's final UPDATE and its usage event;
// the app's gateway_persist_seconds{step="finish"} histogram) while 500 streams run. The app records
// every save; the bench takes the histogram's difference over the 500-stream gateway runs. Bucket
// bounds are 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000 ms, so "p99 ≤ 50 ms" is decided exactly at a
// bound; p50/p99 in between are interpolated inside the bucket (as PromQL's histogram_quantile).
import { addHistograms, histogramBound, histogramQuantile, type HistogramDelta } from "../prom";
import type { RunRecord } from "./sweep";

export const PERSIST_LEVEL = 500;
export const PERSIST_P99_TARGET_MS = 50;

export interface StepFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
  /** Smallest bucket bound holding 99% of the saves (ms). */
  p99BoundMs: number;
  meanMs: number;
}

export interface PersistenceResult {
  level: number;
  runs: number;
  finish: StepFigures;
  startTurn: StepFigures;
  checkpoint: StepFigures;
}

function figures(h: HistogramDelta | null): StepFigures {
  if (!h || h.count === 0) return { count: 0, p50Ms: NaN, p99Ms: NaN, p99BoundMs: NaN, meanMs: NaN };
  return {
    count: h.count,
    p50Ms: histogramQuantile(h, 0.5) * 1000,
    p99Ms: histogramQuantile(h, 0.99) * 1000,
    p99BoundMs: histogramBound(h, 0.99) * 1000,
    meanMs: (h.sum / h.count) * 1000,
  };
}

export function persistence(runs: RunRecord[], level = PERSIST_LEVEL): PersistenceResult | null {
  const at = runs.filter((r) => r.kind === "gateway" && r.level === level);
  if (!at.length) return null;
  let finish: HistogramDelta | null = null;
  let startTurn: HistogramDelta | null = null;
  let checkpoint: HistogramDelta | null = null;
  for (const r of at) {
    finish = addHistograms(finish, r.m.persistFinish);
    startTurn = addHistograms(startTurn, r.m.persistStartTurn);
    checkpoint = addHistograms(checkpoint, r.m.persistCheckpoint);
  }
  return { level, runs: at.length, finish: figures(finish), startTurn: figures(startTurn), checkpoint: figures(checkpoint) };
}
