// A few seconds' memory of the two lookups every authenticated request makes (a session cookie's
// token hash → its session and user; an API key's hash → its key and user), so a busy client costs
// one query per AUTH_CACHE_MS instead of one per request, and concurrent requests with the same
// credential share one query (a burst of 200 turns on one key was 200 identical lookups).
//
// What changes the answer forgets it here at once, in this process: sign-out, revoking sessions or
// keys, disabling a user, and every change to the user row a request reads (tier, role, custom
// instructions, disabled tools, a guest's upgrade) goes through db/queries, which calls
// forgetAuthForUser / forgetAuthKey after its write. Another instance, or SQL run by hand, is seen
// within AUTH_CACHE_MS. Misses are never kept (a guessed key must not grow the cache, and a session
// just created is found at once). Hand-written rather than lru-cache (not a dependency): this needs
// get, set, evict-oldest, and the single-flight map.
import { processShared } from "@/lib/process-registry";

/** How long a successful lookup is reused. */
export const AUTH_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  value: unknown;
  userId: string;
  untilMs: number;
}

interface AuthCache {
  entries: Map<string, Entry>;
  /** Lookups under way, joined by concurrent requests with the same credential. */
  inflight: Map<string, Promise<unknown>>;
  /** Bumped by every forget: a lookup that started before it is not kept. */
  generation: number;
}

// One per process (lib/process-registry.ts): sign-out runs in Next's graph, the chat routes in the
// app server's; both must see the same cache.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    authCache: AuthCache;
  }
}
const state = () => processShared("authCache", () => ({ entries: new Map(), inflight: new Map(), generation: 0 }));

/**
 * `load()`'s answer for `key`, reused for AUTH_CACHE_MS (at most until `untilMs` of the value) when
 * it is not null. `userId` names whose credential it is, for forgetAuthForUser.
 */
export function cachedAuthLookup<T>(
  key: string,
  load: () => Promise<T | null>,
  describe: (value: T) => { userId: string; untilMs?: number },
): Promise<T | null> {
  const c = state();
  const now = Date.now();
  const hit = c.entries.get(key);
  if (hit) {
    if (hit.untilMs > now) return Promise.resolve(hit.value as T);
    c.entries.delete(key);
  }
  const pending = c.inflight.get(key);
  if (pending) return pending as Promise<T | null>;
  const generation = c.generation;
  const lookup = load()
    .then((value) => {
      if (value !== null && c.generation === generation) {
        const { userId, untilMs } = describe(value);
        c.entries.set(key, { value, userId, untilMs: Math.min(untilMs ?? Infinity, Date.now() + AUTH_CACHE_MS) });
        if (c.entries.size > MAX_ENTRIES) c.entries.delete(c.entries.keys().next().value!);
      }
      return value;
    })
    .finally(() => {
      if (c.inflight.get(key) === lookup) c.inflight.delete(key);
    });
  c.inflight.set(key, lookup);
  return lookup;
}

function forget(match: (key: string, entry: Entry) => boolean): void {
  const c = state();
  c.generation++;
  // Lookups under way may have read the old row: new requests must not join them.
  c.inflight.clear();
  for (const [key, entry] of c.entries) if (match(key, entry)) c.entries.delete(key);
}

/** Every cached credential of this user (after a change to the user, its sessions or its keys). */
export function forgetAuthForUser(userId: string): void {
  forget((_, entry) => entry.userId === userId);
}

/** One credential (sign-out of one session). */
export function forgetAuthKey(key: string): void {
  forget((k) => k === key);
}

/** Everything (a change that touched users in bulk). */
export function forgetAllAuth(): void {
  forget(() => true);
}
