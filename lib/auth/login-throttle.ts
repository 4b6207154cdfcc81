// Slows password guessing without letting anyone lock an account: per account, exponential backoff
// (the first FREE_FAILURES failures cost nothing, then each failure makes the next attempt wait
// 1 s, 2 s, 4 s … at most MAX_DELAY_MS, forgotten after an hour without failures); per client address,
// at most LOGIN_FAILURES_PER_IP failures per 15 minutes over all accounts. A hard lock for 15 minutes
// after five failures was a denial of service anyone could aim at anyone. Both are kept in Redis when
// REDIS_URL is set (one count for every instance), in process otherwise, through the limits' machinery.
// The answer is the same whether or not the account exists; emails are hashed before they become keys.
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

const FAIL = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local wait = 0
if n > free then wait = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - free - 1, 30)) end
redis.call('HSET', KEYS[1], 'until', now + wait)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return now + wait`;
const UNTIL = `return redis.call('HGET', KEYS[1], 'until')`;
const CLEAR = `return redis.call('DEL', KEYS[1])`;

interface BackoffStore {
  until(key: string): Promise<number>;
  fail(key: string, now: number): Promise<number>;
  clear(key: string): Promise<void>;
}

export const delayAfter = (failures: number): number =>
  failures <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures - FREE_FAILURES - 1, 30));

function redisBackoff(redis: ScriptClient): BackoffStore {
  return {
    until: async (key) => Number((await redis.eval(UNTIL, [key], [])) ?? 0),
    fail: async (key, now) => Number(await redis.eval(FAIL, [key], [now, FREE_FAILURES, BASE_DELAY_MS, MAX_DELAY_MS, FORGET_MS])),
    clear: async (key) => void (await redis.eval(CLEAR, [key], [])),
  };
}

const memory = new Map<string, { n: number; until: number; forgetAt: number }>();
const memoryBackoff: BackoffStore = {
  async until(key) {
    const e = memory.get(key);
    return e && e.forgetAt > Date.now() ? e.until : 0;
  },
  async fail(key, now) {
    const prev = memory.get(key);
    const n = prev && prev.forgetAt > now ? prev.n + 1 : 1;
    const entry = { n, until: now + delayAfter(n), forgetAt: now + FORGET_MS };
    memory.set(key, entry);
    if (memory.size > 100_000) for (const [k, e] of memory) if (e.forgetAt <= now) memory.delete(k);
    return entry.until;
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

/** Unix ms until which sign-in for this account from this address is refused, or null to go ahead. */
export async function loginBlockedUntil(email: string, ip: string): Promise<number | null> {
  const spec = ipSpec();
  const [until, perIp] = await Promise.all([
    store()
      .until(accountKey(email))
      .catch((err: unknown) => (onStoreError(spec, err), 0)),
    perIpApplies(ip) ? windowLimiter(spec).peek(ipId(ip)) : noLimit,
  ]);
  const now = Date.now();
  const blocked = Math.max(until > now ? until : 0, perIp.success ? 0 : perIp.reset);
  return blocked > 0 ? blocked : null;
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  const spec = ipSpec();
  await Promise.all([
    store()
      .fail(accountKey(email), Date.now())
      .catch((err: unknown) => onStoreError(spec, err)),
    perIpApplies(ip) ? windowLimiter(spec).limit(ipId(ip)) : null,
  ]);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await store()
    .clear(accountKey(email))
    .catch(() => {});
}

/** Tests start each case with no failures counted in process. */
export function resetLoginThrottleForTests(): void {
  memory.clear();
}
