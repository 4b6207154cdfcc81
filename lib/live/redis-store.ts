// The Redis live store (REDIS_URL set): every app instance shares replies' event logs (Streams), stop
// requests (pub/sub + a stop key) and generators' leases. Three connections per process, whatever the
// number of replies and clients: commands (appends, reads, leases), the one blocking reader that
// tails every watched stream, and the one pub/sub subscriber. Key layout: ./redis-keys.ts and README.
import { randomUUID } from "node:crypto";
import { liveConnection, liveKeys, type LiveStats } from "./redis-keys";
import { RedisReplyLease } from "./redis-leases";
import { RedisEventLog } from "./redis-log";
import { RedisStopBus } from "./redis-stops";
import { RedisTail } from "./redis-tail";
import type { LiveStore } from "./types";

export interface RedisLiveOptions {
  url: string;
  /** Prefix of every key and channel (tests and shared Redis servers use their own). */
  prefix?: string;
  /** Lease lifetime without renewal: how soon a dead generator is noticed (plus watchMs). */
  leaseTtlMs?: number;
  renewMs?: number;
  /** How often lapsed leases are looked for, and stop keys polled. */
  watchMs?: number;
  /** How long a finished reply's log stays readable (late resumes). */
  closedTtlMs?: number;
  /** Expiry of a live reply's log, refreshed by each write: a log whose writer vanished goes away. */
  liveTtlMs?: number;
  /** Approximate MAXLEN of a reply's stream. */
  maxLen?: number;
  /** Events per reply kept in memory while Redis is unreachable; older ones are dropped past this. */
  maxPendingPerReply?: number;
  /** XREAD BLOCK timeout (the reader also wakes when a new stream is watched). */
  blockMs?: number;
}

export interface RedisLiveStore<E = unknown> extends LiveStore<E> {
  readonly kind: "redis";
  readonly instanceId: string;
  readonly stats: LiveStats;
}

export function createRedisLiveStore<E = unknown>(options: RedisLiveOptions): RedisLiveStore<E> {
  const o = {
    prefix: "chatgate:",
    leaseTtlMs: 3_000,
    renewMs: 1_000,
    watchMs: 500,
    closedTtlMs: 5 * 60_000,
    liveTtlMs: 24 * 60 * 60_000,
    maxLen: 10_000,
    maxPendingPerReply: 10_000,
    blockMs: 5_000,
    ...options,
  };
  const instanceId = randomUUID();
  const name = (role: string) => `chatgate-live:${instanceId}:${role}`;
  const cmd = liveConnection(o.url, name("cmd"));
  const reader = liveConnection(o.url, name("reader"));
  // The subscriber queues SUBSCRIBE until connected and re-subscribes after each reconnect.
  const sub = liveConnection(o.url, name("sub"), true);
  const keys = liveKeys(o.prefix);
  const stats: LiveStats = { roundTrips: 0, dropped: 0 };
  const tail = new RedisTail<E>(reader, cmd, keys, stats, o.blockMs);
  const log = new RedisEventLog<E>(cmd, tail, keys, stats, {
    instanceId,
    maxLen: o.maxLen,
    liveTtlMs: o.liveTtlMs,
    closedTtlMs: o.closedTtlMs,
    maxPendingPerReply: o.maxPendingPerReply,
    closeWaitMs: 2_000,
  });
  const stops = new RedisStopBus(cmd, sub, keys, stats, o.watchMs);
  const leases = new RedisReplyLease(cmd, keys, stats, instanceId, o);
  return {
    kind: "redis",
    instanceId,
    stats,
    log,
    stops,
    leases,
    // Leases are not released: a reply still generating when its process goes away must lapse, so
    // another instance ends it `interrupted`, exactly as after a crash.
    async close() {
      tail.stop();
      log.stop();
      stops.stop();
      leases.stop();
      for (const c of [cmd, reader, sub]) c.disconnect();
    },
  };
}
