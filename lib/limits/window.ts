// Window limiters with one result shape, backed by @upstash/ratelimit on the shared Redis, or by an
// in-process store when there is no Redis. The in-process store is hand-written because the library
// has no in-memory backend; it runs the same arithmetic as the library's Lua scripts (sliding window:
// this window's count plus the previous window's count weighted by how much of it still overlaps;
// fixed window: a counter per window of epoch time), so limits behave alike with and without Redis.
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis as UpstashRedis } from "@upstash/redis";
import { env } from "@/lib/env";
import { errors } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import type { ScriptClient } from "./redis-client";
import { log } from "@/lib/log/logger";

export type WindowKind = "sliding" | "fixed";

export interface WindowResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms at which the window turns over. */
  reset: number;
  /** The store could not be asked; the result is the policy's (LIMITS_ON_REDIS_ERROR). */
  degraded?: boolean;
}

export interface WindowLimiter {
  /** Counts `rate` (default 1; negative refunds) when admitted. A fixed window always counts. */
  limit(id: string, rate?: number): Promise<WindowResult>;
  /** Looks without counting. */
  peek(id: string): Promise<WindowResult>;
}

export interface WindowSpec {
  kind: WindowKind;
  limit: number;
  windowMs: number;
}

export const KEY_PREFIX = "chatgate:limits";

// ---- in-process --------------------------------------------------------------------------------

interface Counter {
  value: number;
  expiresAt: number;
}

/** Keys with expiry, like the Redis keys the library writes. */
export class MemoryCounters {
  private readonly map = new Map<string, Counter>();
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): number {
    const c = this.map.get(key);
    if (!c) return 0;
    if (c.expiresAt <= this.now()) {
      this.map.delete(key);
      return 0;
    }
    return c.value;
  }

  incrBy(key: string, by: number, ttlMs: number): number {
    const value = this.get(key) + by;
    const prev = this.map.get(key);
    this.map.set(key, { value, expiresAt: prev ? prev.expiresAt : this.now() + ttlMs });
    if (this.map.size > 200_000) this.sweep();
    return value;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, c] of this.map) if (c.expiresAt <= t) this.map.delete(k);
  }
}

export function memoryWindow(spec: WindowSpec, store: MemoryCounters, now: () => number = Date.now): WindowLimiter {
  const { limit, windowMs } = spec;
  const keys = (id: string) => {
    const w = Math.floor(now() / windowMs);
    return { w, cur: `${KEY_PREFIX}:${id}:${w}`, prev: `${KEY_PREFIX}:${id}:${w - 1}` };
  };
  if (spec.kind === "fixed") {
    return {
      async limit(id, rate = 1) {
        const { w, cur } = keys(id);
        const used = store.incrBy(cur, rate, windowMs);
        return { success: used <= limit, limit, remaining: Math.max(0, limit - used), reset: (w + 1) * windowMs };
      },
      async peek(id) {
        const { w, cur } = keys(id);
        const used = store.get(cur);
        return { success: used < limit, limit, remaining: Math.max(0, limit - used), reset: (w + 1) * windowMs };
      },
    };
  }
  const weighted = (id: string) => {
    const t = now();
    const { w, cur, prev } = keys(id);
    const previous = Math.floor((1 - (t % windowMs) / windowMs) * store.get(prev));
    return { w, cur, used: store.get(cur) + previous, previous };
  };
  return {
    async limit(id, rate = 1) {
      const { w, cur, used, previous } = weighted(id);
      const reset = (w + 1) * windowMs;
      if (rate > 0 && used >= limit) return { success: false, limit, remaining: 0, reset };
      const value = store.incrBy(cur, rate, windowMs * 2 + 1_000);
      return { success: true, limit, remaining: Math.max(0, limit - (value + previous)), reset };
    },
    async peek(id) {
      const { w, used } = weighted(id);
      return { success: used < limit, limit, remaining: Math.max(0, limit - used), reset: (w + 1) * windowMs };
    },
  };
}

// ---- Redis (@upstash/ratelimit) ------------------------------------------------------------------

export function redisWindow(spec: WindowSpec, redis: ScriptClient, timeoutMs: number): WindowLimiter {
  const duration = `${spec.windowMs} ms` as const;
  const lib = new Ratelimit({
    // The library types its client as the full @upstash/redis class but calls only evalsha/eval.
    redis: redis as unknown as UpstashRedis,
    limiter: spec.kind === "sliding" ? Ratelimit.slidingWindow(spec.limit, duration) : Ratelimit.fixedWindow(spec.limit, duration),
    prefix: KEY_PREFIX,
    analytics: false,
    // The ephemeral cache would block an id until the window's end, stricter than the sliding count.
    ephemeralCache: false,
    timeout: timeoutMs,
  });
  return {
    async limit(id, rate = 1) {
      const r = await lib.limit(id, { rate });
      if (r.reason === "timeout") throw new Error(`Redis did not answer within ${timeoutMs} ms`);
      return { success: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
    },
    async peek(id) {
      const r = await withTimeout(lib.getRemaining(id), timeoutMs);
      return { success: r.remaining > 0, limit: r.limit, remaining: r.remaining, reset: r.reset };
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// ---- the outage policy -------------------------------------------------------------------------

let lastLoggedAt = 0;

/** Redis down: "open" admits (logged at most every 10 s, counted in limits_store_errors_total); "closed" is a 503. */
export function onStoreError(spec: WindowSpec, err: unknown, now = Date.now()): WindowResult {
  const policy = env().LIMITS_ON_REDIS_ERROR;
  metrics().limitStoreErrors.inc({ policy });
  if (now - lastLoggedAt > 10_000) {
    lastLoggedAt = now;
    log().warn({ err, policy }, "limits: Redis unavailable");
  }
  if (policy === "closed") throw errors.unavailable("Usage limits cannot be checked right now. Try again shortly.");
  return { success: true, limit: spec.limit, remaining: spec.limit, reset: now + spec.windowMs, degraded: true };
}

export function withOutagePolicy(spec: WindowSpec, inner: WindowLimiter): WindowLimiter {
  return {
    limit: (id, rate) => inner.limit(id, rate).catch((err: unknown) => onStoreError(spec, err)),
    peek: (id) => inner.peek(id).catch((err: unknown) => onStoreError(spec, err)),
  };
}
