// Slows password guessing without letting anyone lock an account: per account, exponential backoff
// (the first FREE_FAILURES failures cost nothing, then each failure makes the next attempt wait
// 1 s, 2 s, 4 s … at most MAX_DELAY_MS, forgotten after an hour without failures); per client address,
// at most LOGIN_FAILURES_PER_IP failures per 15 minutes over all accounts. A hard lock for 15 minutes
// after five failures was a denial of service anyone could aim at anyone. Both are kept in Redis when
// REDIS_URL is set (one count for every instance), in process otherwise, through the limits' machinery.
// The answer is the same whether or not the account exists; emails are hashed before they become keys.
// Atomic: an attempt is reserved (counted as a failure, in one step with the check) before the password
// is checked, and given back when it succeeds, so a burst of concurrent guesses cannot all pass the
// check before any of them is counted (60 at once got 8 password checks where 6 were allowed).
import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { ipLimitKey, UNKNOWN_IP } from "@/lib/http/client-ip";
import { limitsRedis, type ScriptClient } from "@/lib/limits/redis-client";
import { windowLimiter } from "@/lib/limits/limiters";
import { onStoreError, type WindowSpec } from "@/lib/limits/window";

export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60_000;
const FORGET_MS = 60 * 60_000;
const IP_WINDOW_MS = 15 * 60_000;

/** Refused (0, until) while a wait runs; otherwise counts the attempt as a failure and sets the next wait (1, until). */
const RESERVE = `
local now = tonumber(ARGV[1])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if blocked > now then return {0, blocked} end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local free = tonumber(ARGV[2])
local wait = 0
if n > free then wait = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - free - 1, 30)) end
redis.call('HSET', KEYS[1], 'until', now + wait)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return {1, now + wait}`;
const CLEAR = `return redis.call('DEL', KEYS[1])`;

interface BackoffStore {
  /** Atomically: null while the account's wait runs (nothing counted), else the attempt is counted. */
  reserve(key: string, now: number): Promise<{ ok: boolean; until: number }>;
  clear(key: string): Promise<void>;
}

export const delayAfter = (failures: number): number =>
  failures <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures - FREE_FAILURES - 1, 30));

function redisBackoff(redis: ScriptClient): BackoffStore {
  return {
    async reserve(key, now) {
      const [ok, until] = (await redis.eval(RESERVE, [key], [now, FREE_FAILURES, BASE_DELAY_MS, MAX_DELAY_MS, FORGET_MS])) as [number, number];
      return { ok: Number(ok) === 1, until: Number(until) };
    },
    clear: async (key) => void (await redis.eval(CLEAR, [key], [])),
  };
}

const memory = new Map<string, { n: number; until: number; forgetAt: number }>();
const memoryBackoff: BackoffStore = {
  // No await between the read and the write: atomic within the process.
  async reserve(key, now) {
    const prev = memory.get(key);
    const live = prev && prev.forgetAt > now ? prev : null;
    if (live && live.until > now) return { ok: false, until: live.until };
    const n = (live?.n ?? 0) + 1;
    const entry = { n, until: now + delayAfter(n), forgetAt: now + FORGET_MS };
    memory.set(key, entry);
    if (memory.size > 100_000) for (const [k, e] of memory) if (e.forgetAt <= now) memory.delete(k);
    return { ok: true, until: entry.until };
  },
  async clear(key) {
    memory.delete(key);
  },
};

const store = (): BackoffStore => {
  const redis = limitsRedis();
  return redis ? redisBackoff(redis) : memoryBackoff;
};
// Hash-tagged, so the key is valid on Redis Cluster; the email itself is not kept.
const accountKey = (email: string) =>
  `chatgate:login:{${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32)}}`;
const ipSpec = (): WindowSpec => ({ kind: "sliding", limit: env().LOGIN_FAILURES_PER_IP, windowMs: IP_WINDOW_MS });
const ipId = (ip: string) => `login-failures:${ipLimitKey(ip)}`;

// No verified address (a server started without scripts/server.ts, e.g. `next dev`): every client
// would share one bucket, and 50 failures by anyone would refuse every sign-in. The per-account
// backoff still applies; the per-IP limit is skipped, with a warning once.
let warnedUnknown = false;
function perIpApplies(ip: string): boolean {
  if (ip !== UNKNOWN_IP) return true;
  if (!warnedUnknown) {
    warnedUnknown = true;
    console.warn("[auth] client address unknown (not served by scripts/server.ts): the per-address sign-in limit is off");
  }
  return false;
}
const noLimit = { success: true, reset: 0 };

export type LoginAttempt = { ok: false; until: number } | { ok: true; succeeded(): Promise<void> };

/**
 * Reserves one sign-in attempt for this account from this address before its password is checked:
 * refused while the account's backoff runs or the address is over its failures; otherwise counted
 * as a failure on both at once. `succeeded()` gives both back when the password was right.
 */
export async function reserveLoginAttempt(email: string, ip: string): Promise<LoginAttempt> {
  const spec = ipSpec();
  const key = accountKey(email);
  const perIp = perIpApplies(ip);
  const address = perIp ? await windowLimiter(spec).limit(ipId(ip)) : noLimit;
  if (!address.success) return { ok: false, until: address.reset };
  const refundAddress = () => (perIp ? windowLimiter(spec).limit(ipId(ip), -1).then(() => undefined) : Promise.resolve());
  const account = await store()
    .reserve(key, Date.now())
    .catch((err: unknown) => (onStoreError(spec, err), { ok: true, until: 0 }));
  if (!account.ok) {
    await refundAddress();
    return { ok: false, until: account.until };
  }
  return {
    ok: true,
    succeeded: async () => {
      await Promise.all([
        store()
          .clear(key)
          .catch(() => {}),
        refundAddress(),
      ]);
    },
  };
}

/** Tests start each case with no failures counted in process. */
export function resetLoginThrottleForTests(): void {
  memory.clear();
}
