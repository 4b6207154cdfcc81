// Quantiles from bucket counts (the rollups' TTFT histogram), interpolating inside the bucket as
// Prometheus's histogram_quantile does; the overflow bucket reports its lower edge.

/** counts[i] = observations in [edges[i-1], edges[i]); counts[edges.length] = at or above the last edge. */
export function histogramQuantile(q: number, edges: readonly number[], counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0 && seen + c >= rank) {
      if (i >= edges.length) return edges[edges.length - 1];
      const lo = i === 0 ? 0 : edges[i - 1];
      return lo + ((edges[i] - lo) * (rank - seen)) / c;
    }
    seen += c;
  }
  return edges[edges.length - 1];
}

export function addInto(target: number[], add: readonly number[]): number[] {
  for (let i = 0; i < add.length; i++) target[i] = (target[i] ?? 0) + add[i];
  return target;
}
