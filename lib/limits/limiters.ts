// One limiter per window spec for the process, on the shared Redis when there is one. Keys are by
// user (and model), not by tier, so a user whose tier changes keeps the count they have.
import { env } from "@/lib/env";
import { limitsRedis, type ScriptClient } from "./redis-client";
import { MemoryCounters, memoryWindow, redisWindow, withOutagePolicy, type WindowLimiter, type WindowSpec } from "./window";
import { processShared, processSet } from "@/lib/process-registry";

interface Registry {
  limiters: Map<string, WindowLimiter>;
  memory: MemoryCounters;
  leases: Map<string, Map<string, number>>;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    limiters: Registry;
  }
}
const reg = (): Registry => processShared("limiters", () => ({ limiters: new Map(), memory: new MemoryCounters(), leases: new Map() }));

export function windowLimiter(spec: WindowSpec): WindowLimiter {
  const key = `${spec.kind}:${spec.limit}:${spec.windowMs}`;
  let l = reg().limiters.get(key);
  if (!l) {
    const redis = limitsRedis();
    l = redis ? withOutagePolicy(spec, redisWindow(spec, redis, env().LIMITS_REDIS_TIMEOUT_MS)) : memoryWindow(spec, reg().memory);
    reg().limiters.set(key, l);
  }
  return l;
}

// ---- concurrent streams: leases that expire, so a crashed instance cannot hold slots forever ----

/** Atomic: drop expired leases, refuse when max are held, else add this one. */
const ACQUIRE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZCARD', key) >= max then return 0 end
redis.call('ZADD', key, now + ttl, ARGV[4])
redis.call('PEXPIRE', key, ttl)
return 1`;
const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** Longest a reply may hold a slot if its instance dies without releasing it. */
export const LEASE_MS = 15 * 60_000;

export interface LeaseStore {
  acquire(userId: string, leaseId: string, max: number): Promise<boolean>;
  release(userId: string, leaseId: string): Promise<void>;
}

export function redisLeases(redis: ScriptClient, now: () => number = Date.now): LeaseStore {
  const key = (userId: string) => `chatgate:streams:${userId}`;
  return {
    acquire: async (userId, leaseId, max) => Number(await redis.eval(ACQUIRE, [key(userId)], [now(), LEASE_MS, max, leaseId])) === 1,
    release: async (userId, leaseId) => void (await redis.eval(RELEASE, [key(userId)], [leaseId])),
  };
}

export function memoryLeases(leases: Map<string, Map<string, number>>, now: () => number = Date.now): LeaseStore {
  return {
    async acquire(userId, leaseId, max) {
      const t = now();
      const held = leases.get(userId) ?? new Map<string, number>();
      for (const [id, exp] of held) if (exp <= t) held.delete(id);
      if (held.size >= max) return false;
      held.set(leaseId, t + LEASE_MS);
      leases.set(userId, held);
      return true;
    },
    async release(userId, leaseId) {
      const held = leases.get(userId);
      held?.delete(leaseId);
      if (held && held.size === 0) leases.delete(userId);
    },
  };
}

export function leaseStore(): LeaseStore {
  const redis = limitsRedis();
  return redis ? redisLeases(redis) : memoryLeases(reg().leases);
}

/** Tests switch backends between cases; production never calls this. */
export function resetLimitersForTests(): void {
  processSet("limiters", undefined);
}
