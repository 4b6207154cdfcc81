// The Redis event log. Appends get their seq at once and are written by one pipeline per tick: one
// APPEND script call per reply with new events (./redis-append.ts), plus PEXPIREs for closing replies.
//
// A reply this process writes first becomes its own ("mine", confirmed by the first flush): its
// local subscribers are then served from memory (./memory-log.ts) and never wait on Redis. Events
// appended to a reply generated elsewhere (an end event for a dead or unresponsive generator) are
// numbered in Redis after the stream's top, so the seqs append() returns for those are provisional.
//
// Redis away: pending events stay in memory (bounded per reply, oldest dropped past the bound, counted
// in stats.dropped) and the flush retries with backoff, so when Redis returns the log is complete
// again with no duplicate. Subscribers elsewhere wait, then continue with no gap. read() of a reply
// not confirmed here yields [] meanwhile — callers fall back to the database, as for an expired log.
// A reply whose first flush has not reached Redis is not served locally yet either (it might not be
// ours). Nothing here rejects into the caller.
import type IORedis from "ioredis";
import { MemoryEventLog } from "./memory-log";
import { APPEND_SCRIPT, APPEND_SHA } from "./redis-append";
import { type LiveKeys, type LiveStats, parseEntries } from "./redis-keys";
import type { RedisTail } from "./redis-tail";
import type { EventLog, LoggedEvent } from "./types";

export interface RedisLogOptions {
  instanceId: string;
  maxLen: number;
  liveTtlMs: number;
  closedTtlMs: number;
  maxPendingPerReply: number;
  /** close() resolves after this long even if Redis has not taken the last events yet. */
  closeWaitMs: number;
}

type Owner = "pending" | "mine" | "foreign";

interface Waiting<E> {
  lastSeq: number;
  deliver: (events: LoggedEvent<E>[]) => void;
  offLocal?: () => void;
}

export class RedisEventLog<E> implements EventLog<E> {
  private local = new MemoryEventLog<E>();
  private owner = new Map<string, Owner>();
  /** Subscribers that joined before this process knew the reply was its own. */
  private waiting = new Map<string, Set<Waiting<E>>>();
  private pending = new Map<string, LoggedEvent<E>[]>();
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
  ) {
    // Loaded on every (re)connection, ahead of any flush on the same connection.
    cmd.on("ready", () => void this.loadScript());
  }

  append(replyId: string, events: E[]): number[] {
    if (!this.owner.has(replyId)) this.owner.set(replyId, "pending");
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
    if (this.owner.get(replyId) === "mine") return this.local.read(replyId, afterSeq);
    try {
      this.stats.roundTrips++;
      const entries = (await this.cmd.xrange(this.keys.events(replyId), `0-${Math.max(0, afterSeq) + 1}`, "+")) as [string, string[]][];
      return parseEntries<E>(entries);
    } catch {
      return [];
    }
  }

  subscribe(replyId: string, afterSeq: number, onEvents: (events: LoggedEvent<E>[]) => void): () => void {
    if (this.owner.get(replyId) === "mine") return this.local.subscribe(replyId, afterSeq, onEvents);
    // Generated elsewhere, or here but not confirmed yet: Redis now, and memory too if it turns out
    // to be ours. Both sources are complete and ordered: what is past the last delivered seq is new.
    const w: Waiting<E> = {
      lastSeq: Math.max(0, afterSeq),
      deliver: (events) => {
        const fresh = events.filter((e) => e.seq > w.lastSeq);
        if (fresh.length === 0) return;
        w.lastSeq = fresh[fresh.length - 1].seq;
        onEvents(fresh);
      },
    };
    let set = this.waiting.get(replyId);
    if (!set) this.waiting.set(replyId, (set = new Set()));
    set.add(w);
    const offRemote = this.tail.subscribe(replyId, afterSeq, w.deliver);
    return () => {
      offRemote();
      w.offLocal?.();
      set.delete(w);
      if (set.size === 0 && this.waiting.get(replyId) === set) this.waiting.delete(replyId);
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
    this.waiting.clear();
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
    const order: string[] = [];
    for (const [id, events] of batch) {
      const ttl = closing.has(id) ? this.opts.closedTtlMs : this.opts.liveTtlMs;
      const args = [this.opts.instanceId, this.opts.maxLen, ttl, events[0].seq, ...events.map((e) => JSON.stringify(e.event))];
      pipe.evalsha(APPEND_SHA, 2, this.keys.events(id), this.keys.writer(id), ...args);
      order.push(id);
    }
    for (const id of closing.keys()) {
      if (batch.has(id)) continue;
      pipe.pexpire(this.keys.events(id), this.opts.closedTtlMs).pexpire(this.keys.writer(id), this.opts.closedTtlMs);
      order.push(id, id);
    }
    const failed = new Set<string>();
    const results: [Error | null, unknown][] = [];
    try {
      this.stats.roundTrips++;
      results.push(...((await pipe.exec()) ?? []));
      if (results.length < order.length) for (const id of order) failed.add(id);
    } catch {
      for (const id of order) failed.add(id);
    }
    results.forEach(([err, res], i) => {
      const id = order[i];
      if (err) failed.add(id);
      else if (batch.has(id)) this.settleOwner(id, res as number);
    });
    if (results.some(([err]) => err?.message.startsWith("NOSCRIPT"))) await this.loadScript();
    this.flushing = false;
    if (this.stopped) return;
    this.settle(batch, closing, failed);
  }

  private async loadScript(): Promise<void> {
    try {
      this.stats.roundTrips++;
      await this.cmd.script("LOAD", APPEND_SCRIPT);
    } catch {
      // Redis away: the retry loads it again.
    }
  }

  /** The first flush of a reply tells whose it is. */
  private settleOwner(replyId: string, top: number): void {
    if (this.owner.get(replyId) !== "pending") return;
    if (top === -1) {
      this.owner.set(replyId, "mine");
      for (const w of this.waiting.get(replyId) ?? []) w.offLocal = this.local.subscribe(replyId, w.lastSeq, w.deliver);
    } else {
      // Someone else's reply: its events come back through Redis with their real seqs.
      this.owner.set(replyId, "foreign");
      this.local.drop(replyId);
    }
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
        // Redis holds the whole reply now; this process's later readers read it from there.
        if (!this.pending.has(id)) {
          this.local.drop(id);
          this.owner.delete(id);
        }
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
