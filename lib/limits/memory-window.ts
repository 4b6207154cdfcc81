// In-process sliding-window limiter for a single instance (REDIS_URL unset). Same result shape as
// @upstash/ratelimit's limit(), so callers do not care which backs them.
export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when a slot frees up. */
  reset: number;
}

export class MemoryWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit for key when admitted. */
  take(key: string): LimitResult {
    const t = this.now();
    const list = this.prune(key, t);
    if (list.length >= this.limit) {
      return { success: false, limit: this.limit, remaining: 0, reset: list[0] + this.windowMs };
    }
    list.push(t);
    this.hits.set(key, list);
    return { success: true, limit: this.limit, remaining: this.limit - list.length, reset: list[0] + this.windowMs };
  }

  /** Looks without counting. */
  peek(key: string): LimitResult {
    const t = this.now();
    const list = this.prune(key, t);
    const success = list.length < this.limit;
    return { success, limit: this.limit, remaining: Math.max(0, this.limit - list.length), reset: (list[0] ?? t) + this.windowMs };
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(key: string, t: number): number[] {
    const list = this.hits.get(key) ?? [];
    let i = 0;
    while (i < list.length && list[i] <= t - this.windowMs) i++;
    const kept = i ? list.slice(i) : list;
    if (kept.length === 0) this.hits.delete(key);
    else if (i) this.hits.set(key, kept);
    if (this.hits.size > 100_000) this.hits.clear(); // bound memory under a spray of distinct keys
    return kept;
  }
}
