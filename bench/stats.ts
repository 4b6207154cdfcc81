// Small statistics helpers: exact percentiles of a sample, a fixed-resolution histogram for the
// millions of inter-token gaps (no per-gap allocation), medians of rounds and a least-squares slope.

/** Nearest-rank-with-interpolation percentile (p in 0..100) of an unsorted sample; NaN if empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? percentile(finite, 50) : NaN;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : NaN;
}

/** Least-squares slope of y over x (NaN with fewer than two distinct x). */
export function slope(xs: number[], ys: number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  const mx = mean(xs.slice(0, n));
  const my = mean(ys.slice(0, n));
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/**
 * Histogram of milliseconds with 0.1 ms buckets up to `maxMs`, plus an overflow list (rare, kept exact).
 * Recording is one array increment, so it can take every inter-token gap of thousands of streams.
 */
export class MsHistogram {
  private readonly buckets: Uint32Array;
  private readonly overflow: number[] = [];
  count = 0;
  max = 0;
  private sum = 0;

  constructor(private readonly maxMs = 5_000) {
    this.buckets = new Uint32Array(Math.ceil(maxMs * 10) + 1);
  }

  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
    if (v >= this.maxMs) this.overflow.push(v);
    else this.buckets[Math.floor(v * 10)]++;
  }

  /** Records `n` zero gaps at once (tokens that arrived in the same read as the previous one). */
  recordZeros(n: number): void {
    if (n <= 0) return;
    this.count += n;
    this.buckets[0] += n;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  /** p in 0..100; the upper edge of the bucket holding that rank (±0.1 ms). */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return i === 0 ? 0 : (i + 1) / 10;
    }
    const sorted = [...this.overflow].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, rank - seen - 1)];
  }

  /** Share of recorded values that are exactly 0 (tokens delivered together with the previous one). */
  zeroShare(): number {
    return this.count ? this.buckets[0] / this.count : NaN;
  }
}

/** A growable Float64Array (per-stream TTFTs), so a level of 2,000 streams allocates a few KB. */
export class Samples {
  private data = new Float64Array(256);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  percentile(p: number): number {
    return percentile(this.values(), p);
  }
}
