// The Redis event log. Appends get their seq at once (the writer is the only one) and reach local
// subscribers through the in-process log; the Redis copy, for other instances, is written by one
// pipeline per tick: XADD <key> MAXLEN ~ N 0-<seq> e <json> for each event, plus a PEXPIRE per reply.
// Explicit ids make a retried write idempotent (Redis refuses an id at or below the stream's top).
//
// Redis away: pending events stay in memory (bounded per reply, oldest dropped past the bound, counted
// in stats.dropped) and the flush retries with backoff, so when Redis returns the log is complete
// again. Local subscribers never notice; remote ones wait, then continue with no gap. read() of a
// reply not held here yields [] while Redis is away — callers fall back to the database, as for an
// expired log. Nothing here rejects into the caller.
import type IORedis from "ioredis";
import { MemoryEventLog } from "./memory-log";
import { type LiveKeys, type LiveStats, parseEntries } from "./redis-keys";
import type { RedisTail } from "./redis-tail";
import type { EventLog, LoggedEvent } from "./types";

export interface RedisLogOptions {
  maxLen: number;
  liveTtlMs: number;
  closedTtlMs: number;
  maxPendingPerReply: number;
  /** close() resolves after this long even if Redis has not taken the last events yet. */
  closeWaitMs: number;
}

export class RedisEventLog<E> implements EventLog<E> {
  private local = new MemoryEventLog<E>();
  private pending = new Map<string, LoggedEvent<E>[]>();
  /** Replies whose close() is waiting for their last events (and the closed expiry) to be written. */
  private closing = new Map<string, (() => void)[]>();
  private scheduled = false;
  private flushing = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly cmd: IORedis,
    private readonly tail: RedisTail<E>,
    private readonly keys: LiveKeys,
    private readonly stats: LiveStats,
    private readonly opts: RedisLogOptions,
  ) {}

  append(replyId: string, events: E[]): number[] {
    const logged = this.local.appendLogged(replyId, events);
    if (logged.length === 0) return [];
    const queue = this.pending.get(replyId) ?? [];
    queue.push(...logged);
    const over = queue.length - this.opts.maxPendingPerReply;
    if (over > 0) {
      queue.splice(0, over);
      if (this.stats.dropped === 0) console.error("[live] Redis unreachable: dropping the oldest unsent events of a reply");
      this.stats.dropped += over;
    }
    this.pending.set(replyId, queue);
    this.schedule();
    return logged.map((e) => e.seq);
  }

  async read(replyId: string, afterSeq: number): Promise<LoggedEvent<E>[]> {
    if (this.local.has(replyId)) return this.local.read(replyId, afterSeq);
    try {
      this.stats.roundTrips++;
      const entries = (await this.cmd.xrange(this.keys.events(replyId), `0-${Math.max(0, afterSeq) + 1}`, "+")) as [string, string[]][];
      return parseEntries<E>(entries);
    } catch {
      return [];
    }
  }

  subscribe(replyId: string, afterSeq: number, onEvents: (events: LoggedEvent<E>[]) => void): () => void {
    if (this.local.has(replyId)) return this.local.subscribe(replyId, afterSeq, onEvents);
    // Not written here yet: it may be generated elsewhere (Redis) or here, after this subscribe (the
    // local log then has it from seq 1). Both sources are complete and ordered, so keeping what is
    // past the last delivered seq gives each event once.
    let lastSeq = Math.max(0, afterSeq);
    const merge = (events: LoggedEvent<E>[]) => {
      const fresh = events.filter((e) => e.seq > lastSeq);
      if (fresh.length === 0) return;
      lastSeq = fresh[fresh.length - 1].seq;
      onEvents(fresh);
    };
    const offLocal = this.local.subscribe(replyId, afterSeq, merge);
    const offRemote = this.tail.subscribe(replyId, afterSeq, merge);
    return () => {
      offLocal();
      offRemote();
    };
  }

  close(replyId: string): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.closing.get(replyId) ?? [];
      waiters.push(resolve);
      this.closing.set(replyId, waiters);
      setTimeout(resolve, this.opts.closeWaitMs).unref();
      this.schedule();
    });
  }

  /** Stops writing; whatever is still pending is given up (the process is going away). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const waiters of this.closing.values()) for (const w of waiters) w();
    this.closing.clear();
    this.pending.clear();
    this.local.clear();
  }

  /** One flush per tick, one in flight at a time: events that arrive meanwhile ride the next one. */
  private schedule(): void {
    if (this.scheduled || this.flushing || this.retry || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.stopped || (this.pending.size === 0 && this.closing.size === 0)) return;
    this.flushing = true;
    const batch = this.pending;
    const closing = new Map(this.closing);
    this.pending = new Map();
    this.closing = new Map();
    const pipe = this.cmd.pipeline();
    const owners: string[] = [];
    for (const [id, events] of batch) {
      const key = this.keys.events(id);
      for (const e of events) {
        pipe.xadd(key, "MAXLEN", "~", this.opts.maxLen, `0-${e.seq}`, "e", JSON.stringify(e.event));
        owners.push(id);
      }
    }
    for (const id of new Set([...batch.keys(), ...closing.keys()])) {
      pipe.pexpire(this.keys.events(id), closing.has(id) ? this.opts.closedTtlMs : this.opts.liveTtlMs);
      owners.push(id);
    }
    const failed = new Set<string>();
    try {
      this.stats.roundTrips++;
      const results = (await pipe.exec()) ?? [];
      results.forEach(([err], i) => {
        // "equal or smaller than the target stream top item": written by an earlier, retried flush.
        if (err && !/equal or smaller/i.test(err.message)) failed.add(owners[i]);
      });
      if (results.length < owners.length) for (const id of owners) failed.add(id);
    } catch {
      for (const id of owners) failed.add(id);
    }
    this.flushing = false;
    if (this.stopped) return;
    this.settle(batch, closing, failed);
  }

  private settle(batch: Map<string, LoggedEvent<E>[]>, closing: Map<string, (() => void)[]>, failed: Set<string>): void {
    const merged = new Map<string, LoggedEvent<E>[]>();
    for (const id of failed) if (batch.has(id)) merged.set(id, batch.get(id)!);
    for (const [id, events] of this.pending) merged.set(id, [...(merged.get(id) ?? []), ...events]);
    this.pending = merged;
    for (const [id, waiters] of closing) {
      if (failed.has(id)) {
        this.closing.set(id, [...waiters, ...(this.closing.get(id) ?? [])]);
      } else {
        // Redis holds the whole reply now; other readers of this process read it from there.
        if (!this.pending.has(id)) this.local.drop(id);
        for (const w of waiters) w();
      }
    }
    if (failed.size === 0) {
      this.failures = 0;
      this.schedule();
      return;
    }
    const delay = Math.min(100 * 2 ** this.failures++, 2_000);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.flush();
    }, delay);
    this.retry.unref();
  }
}
