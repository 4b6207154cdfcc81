// The in-process live store (REDIS_URL unset): one app instance, so a stop is a local call and a lease
// can never lapse while its process lives — when the process dies, every reply it held dies with it and
// the slow sweep (STREAM_SWEEP_AFTER_MS) is what marks them interrupted on the next start.
import { MemoryEventLog } from "./memory-log";
import type { LiveStore, ReplyLease, StopBus } from "./types";

/** A stop requested before the generator registered (a race at start) still reaches it this long. */
const STOP_REMEMBER_MS = 10 * 60_000;

export class MemoryStopBus implements StopBus {
  /** Each registration fires at most once, however many times a stop is requested. */
  private handlers = new Map<string, Set<{ handler: () => void; fired: boolean }>>();
  private requested = new Map<string, NodeJS.Timeout>();

  async requestStop(replyId: string): Promise<void> {
    if (!this.requested.has(replyId)) {
      const t = setTimeout(() => this.requested.delete(replyId), STOP_REMEMBER_MS);
      t.unref();
      this.requested.set(replyId, t);
    }
    this.fire(replyId);
  }

  private fire(replyId: string): void {
    for (const watch of this.handlers.get(replyId) ?? []) {
      if (watch.fired) continue;
      watch.fired = true;
      queueMicrotask(watch.handler);
    }
  }

  onStop(replyId: string, handler: () => void): () => void {
    let set = this.handlers.get(replyId);
    if (!set) this.handlers.set(replyId, (set = new Set()));
    const watch = { handler, fired: false };
    set.add(watch);
    if (this.requested.has(replyId)) this.fire(replyId);
    return () => {
      set.delete(watch);
      if (set.size === 0 && this.handlers.get(replyId) === set) this.handlers.delete(replyId);
    };
  }

  clear(): void {
    for (const t of this.requested.values()) clearTimeout(t);
    this.requested.clear();
    this.handlers.clear();
  }
}

export class MemoryReplyLease implements ReplyLease {
  readonly held = new Map<string, { conversationId: string; userId: string }>();

  async acquire(replyId: string, meta: { conversationId: string; userId: string }): Promise<void> {
    this.held.set(replyId, meta);
  }

  async release(replyId: string): Promise<void> {
    this.held.delete(replyId);
  }

  /** Nothing lapses in one process: the generator and the watcher live and die together. */
  watchExpired(): () => void {
    return () => {};
  }
}

export function createMemoryLiveStore<E = unknown>(opts: { closedTtlMs?: number } = {}): LiveStore<E> {
  const log = new MemoryEventLog<E>(opts.closedTtlMs);
  const stops = new MemoryStopBus();
  const leases = new MemoryReplyLease();
  return {
    kind: "memory",
    log,
    stops,
    leases,
    async close() {
      log.clear();
      stops.clear();
      leases.held.clear();
    },
  };
}
