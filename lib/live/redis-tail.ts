// Remote subscribers: ONE blocking connection per process runs XREAD BLOCK over every stream that
// local clients watch and fans each batch out to them — a thousand resumed tabs cost one connection,
// not a thousand. A subscriber joins with its own cursor and first catches up with an XRANGE while
// new batches from the shared reader wait in its buffer; every delivery is
// filtered by the subscriber's last seq, so replay-then-tail has no gap and no duplicate.
// When Redis is away the loop and the catch-ups retry with backoff; the cursors survive, so tails
// resume where they stopped once Redis is back.
import type IORedis from "ioredis";
import { safeCall } from "./memory-log";
import { type LiveKeys, type LiveStats, parseEntries, sleep } from "./redis-keys";
import type { LoggedEvent } from "./types";

interface Sub<E> {
  lastSeq: number;
  onEvents: (events: LoggedEvent<E>[]) => void;
  catchingUp: boolean;
  buffer: LoggedEvent<E>[];
  closed: boolean;
}

interface Tail<E> {
  cursor: number;
  subs: Set<Sub<E>>;
}

const BATCH = 1_000;

export class RedisTail<E> {
  private tails = new Map<string, Tail<E>>();
  private readerId: number | undefined;
  private blocking = false;
  private wake: (() => void) | undefined;
  private stopped = false;
  private started = false;

  constructor(
    private readonly reader: IORedis,
    private readonly cmd: IORedis,
    private readonly keys: LiveKeys,
    private readonly stats: LiveStats,
    private readonly blockMs: number,
  ) {
    // A reconnected reader has a new client id; the loop asks again before its next XREAD.
    reader.on("close", () => (this.readerId = undefined));
  }

  subscribe(replyId: string, afterSeq: number, onEvents: (events: LoggedEvent<E>[]) => void): () => void {
    const key = this.keys.events(replyId);
    let tail = this.tails.get(key);
    const fresh = !tail;
    if (!tail) this.tails.set(key, (tail = { cursor: Math.max(0, afterSeq), subs: new Set() }));
    // Every subscriber starts with its own XRANGE on the command connection: its backlog arrives in
    // one round trip, without waiting for the shared reader to be woken from its current XREAD.
    const sub: Sub<E> = { lastSeq: Math.max(0, afterSeq), onEvents, catchingUp: true, buffer: [], closed: false };
    tail.subs.add(sub);
    void this.catchUp(key, sub);
    if (fresh) this.kick();
    const t = tail;
    return () => {
      sub.closed = true;
      t.subs.delete(sub);
      if (t.subs.size === 0 && this.tails.get(key) === t) this.tails.delete(key);
    };
  }

  /** Starts the reader loop (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.tails.clear();
    this.wake?.();
  }

  private async catchUp(key: string, sub: Sub<E>): Promise<void> {
    for (let attempt = 0; !sub.closed && !this.stopped; attempt++) {
      try {
        this.stats.roundTrips++;
        const entries = (await this.cmd.xrange(key, `0-${sub.lastSeq + 1}`, "+")) as [string, string[]][];
        const buffered = sub.buffer;
        sub.buffer = [];
        sub.catchingUp = false;
        this.deliver(sub, parseEntries<E>(entries));
        this.deliver(sub, buffered);
        return;
      } catch {
        await sleep(Math.min(100 * 2 ** attempt, 1_000));
      }
    }
  }

  private deliver(sub: Sub<E>, events: LoggedEvent<E>[]): void {
    if (sub.closed) return;
    const fresh = events.filter((e) => e.seq > sub.lastSeq);
    if (fresh.length === 0) return;
    sub.lastSeq = fresh[fresh.length - 1].seq;
    safeCall(sub.onEvents, fresh);
  }

  /** Wakes the loop: idle → run; blocked on an older set of streams → CLIENT UNBLOCK it. */
  private kick(): void {
    this.start();
    if (this.wake) {
      const wake = this.wake;
      this.wake = undefined;
      wake();
    } else if (this.blocking && this.readerId !== undefined) {
      this.stats.roundTrips++;
      this.cmd.client("UNBLOCK", this.readerId).catch(() => {});
    }
  }

  private async loop(): Promise<void> {
    for (let failures = 0; !this.stopped; ) {
      if (this.tails.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        if (this.readerId === undefined) {
          this.stats.roundTrips++;
          this.readerId = Number(await this.reader.client("ID"));
        }
        // Keys and cursors are read right before the command is written, after the last await.
        const keys = [...this.tails.keys()];
        const ids = keys.map((k) => `0-${this.tails.get(k)!.cursor}`);
        this.blocking = true;
        this.stats.roundTrips++;
        const res = (await this.reader.xread("COUNT", BATCH, "BLOCK", this.blockMs, "STREAMS", ...keys, ...ids)) as
          | [string, [string, string[]][]][]
          | null;
        this.blocking = false;
        failures = 0;
        for (const [key, entries] of res ?? []) this.fanOut(key, entries);
      } catch {
        this.blocking = false;
        this.readerId = undefined;
        await sleep(Math.min(100 * 2 ** failures++, 1_000));
      }
    }
  }

  private fanOut(key: string, entries: [string, string[]][]): void {
    const tail = this.tails.get(key);
    if (!tail || entries.length === 0) return;
    // The cursor follows the raw ids, so a skipped (corrupt) entry is not read again forever.
    const last = entries[entries.length - 1][0];
    tail.cursor = Math.max(tail.cursor, Number(last.slice(last.indexOf("-") + 1)) || 0);
    const events = parseEntries<E>(entries);
    for (const sub of tail.subs) {
      if (sub.catchingUp) sub.buffer.push(...events);
      else this.deliver(sub, events);
    }
  }
}
