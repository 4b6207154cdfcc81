// Reads the app's Prometheus text (GET /api/metrics): gauges, and histogram quantiles over the
// difference of two scrapes (what happened during one run), interpolated inside the bucket as
// Prometheus' histogram_quantile does.

export type Scrape = Map<string, number>;

/** `name{a="x",b="y"} value` lines → map keyed by the series text before the value. */
export function parseMetrics(text: string): Scrape {
  const out: Scrape = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const sp = line.lastIndexOf(" ");
    const value = Number(line.slice(sp + 1));
    if (Number.isFinite(value)) out.set(line.slice(0, sp), value);
  }
  return out;
}

export function gauge(s: Scrape, series: string): number {
  return s.get(series) ?? NaN;
}

export interface HistogramDelta {
  /** Cumulative counts per upper bound (seconds), Infinity last. */
  buckets: { le: number; count: number }[];
  count: number;
  sum: number;
}

/** The histogram `name` summed over the series whose labels contain `label` (e.g. step="finish"), as `after − before`. */
export function histogramDelta(before: Scrape, after: Scrape, name: string, label: string): HistogramDelta {
  const byLe = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const [series, value] of after) {
    if (!series.startsWith(`${name}_`) || !series.includes(label)) continue;
    const delta = value - (before.get(series) ?? 0);
    if (series.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(series)?.[1];
      if (!le) continue;
      const bound = le === "+Inf" ? Infinity : Number(le);
      byLe.set(bound, (byLe.get(bound) ?? 0) + delta);
    } else if (series.startsWith(`${name}_count`)) count += delta;
    else if (series.startsWith(`${name}_sum`)) sum += delta;
  }
  const buckets = [...byLe].map(([le, c]) => ({ le, count: c })).sort((a, b) => a.le - b.le);
  return { buckets, count, sum };
}

/** q in 0..1 → seconds, linear inside the bucket; NaN without observations. */
export function histogramQuantile(h: HistogramDelta, q: number): number {
  if (h.count <= 0) return NaN;
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe; // beyond the largest bound: report the bound
      const inBucket = b.count - prevCount;
      return inBucket > 0 ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** The smallest bucket bound holding at least q of the observations ("p99 ≤ 50 ms" is exact at a bound). */
export function histogramBound(h: HistogramDelta, q: number): number {
  for (const b of h.buckets) if (b.count >= q * h.count) return b.le;
  return Infinity;
}

/** Sum of two deltas (several runs at one level). */
export function addHistograms(a: HistogramDelta | null, b: HistogramDelta): HistogramDelta {
  if (!a) return b;
  return {
    buckets: b.buckets.map((x, i) => ({ le: x.le, count: x.count + (a.buckets[i]?.count ?? 0) })),
    count: a.count + b.count,
    sum: a.sum + b.sum,
  };
}
