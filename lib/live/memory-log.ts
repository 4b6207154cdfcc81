// The in-process event log: one process holds every reply's events in an array whose index is seq − 1,
// so replay-then-tail is a slice from the subscriber's last seen seq — no gap and no duplicate by
// construction. The Redis store reuses it for the replies its own process generates (their local
// subscribers then never wait on Redis, and keep working through a Redis outage).
import type { EventLog, LoggedEvent } from "./types";

interface Subscriber<E> {
  lastSeq: number;
  onEvents: (events: LoggedEvent<E>[]) => void;
}

interface Log<E> {
  events: LoggedEvent<E>[];
  expiry?: NodeJS.Timeout;
}

export class MemoryEventLog<E = unknown> implements EventLog<E> {
  private logs = new Map<string, Log<E>>();
  /** Kept apart from the logs: one may subscribe before the first append (or after expiry). */
  private subs = new Map<string, Set<Subscriber<E>>>();
  private dirty = new Set<string>();
  private scheduled = false;

  /** `closedTtlMs`: how long a closed log stays readable (a late resume), as Redis keeps its stream. */
  constructor(private readonly closedTtlMs = 60_000) {}

  append(replyId: string, events: E[]): number[] {
    return this.appendLogged(replyId, events).map((e) => e.seq);
  }

  /** As append, returning the logged events (the Redis writer sends exactly these). */
  appendLogged(replyId: string, events: E[]): LoggedEvent<E>[] {
    let log = this.logs.get(replyId);
    if (!log) this.logs.set(replyId, (log = { events: [] }));
    const base = log.events.length;
    const logged = events.map((event, i) => ({ seq: base + i + 1, event }));
    for (const e of logged) log.events.push(e);
    if (logged.length > 0) this.notify(replyId);
    return logged;
  }

  /** Whether this process holds the reply's log (it is generating it, or closed it recently). */
  has(replyId: string): boolean {
    return this.logs.has(replyId);
  }

  async read(replyId: string, afterSeq: number): Promise<LoggedEvent<E>[]> {
    return this.logs.get(replyId)?.events.slice(Math.max(0, afterSeq)) ?? [];
  }

  subscribe(replyId: string, afterSeq: number, onEvents: (events: LoggedEvent<E>[]) => void): () => void {
    const sub: Subscriber<E> = { lastSeq: Math.max(0, afterSeq), onEvents };
    let set = this.subs.get(replyId);
    if (!set) this.subs.set(replyId, (set = new Set()));
    set.add(sub);
    // The backlog goes out on the same batched tick as new events, never inside subscribe() itself.
    this.notify(replyId);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.subs.get(replyId) === set) this.subs.delete(replyId);
    };
  }

  async close(replyId: string): Promise<void> {
    const log = this.logs.get(replyId);
    if (!log || log.expiry) return;
    log.expiry = setTimeout(() => this.drop(replyId), this.closedTtlMs);
    log.expiry.unref();
  }

  /** Forgets a reply's log at once (the Redis store, once Redis holds it). */
  drop(replyId: string): void {
    clearTimeout(this.logs.get(replyId)?.expiry);
    this.logs.delete(replyId);
  }

  /** Forgets every log and subscriber (the store is closing). */
  clear(): void {
    for (const id of [...this.logs.keys()]) this.drop(id);
    this.subs.clear();
  }

  private notify(replyId: string): void {
    this.dirty.add(replyId);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const events = this.logs.get(id)?.events;
      if (!events) continue;
      for (const sub of this.subs.get(id) ?? []) {
        const batch = events.slice(sub.lastSeq);
        if (batch.length === 0) continue;
        sub.lastSeq = batch[batch.length - 1].seq;
        safeCall(sub.onEvents, batch);
      }
    }
  }
}

/** One subscriber's throw must not stop delivery to the others. */
export function safeCall<T>(fn: (arg: T) => void, arg: T): void {
  try {
    fn(arg);
  } catch (err) {
    console.error("[live] subscriber threw:", err instanceof Error ? err.name : "error");
  }
}
