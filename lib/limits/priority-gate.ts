// Priority under load: while a model pool is saturated (its replicas report waiting requests),
// low-priority (free-tier) requests wait here, FIFO, in a bounded queue per pool; high-priority
// requests never wait for them. A waiter still queued at its deadline is shed with 503 + Retry-After,
// as is a new one when the queue is full. Per instance: each app instance holds its own waiters
// while the saturation signal (replica metrics) is shared.
import { errors } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import { env } from "@/lib/env";
import { poolSaturation } from "@/lib/routing/router";
import { processShared } from "@/lib/process-registry";

/** Requests waiting on a pool's replicas (vllm:num_requests_waiting summed); tests pass their own. */
export type PoolLoadSource = (pool: string) => Promise<number>;

export type Priority = "high" | "low";

export interface PriorityGateOptions {
  load: PoolLoadSource;
  /** Saturated when the pool reports at least this many waiting requests. */
  saturatedAt: number;
  maxQueue: number;
  maxWaitMs: number;
  /** How often a pool with waiters is re-checked. */
  pollMs?: number;
  /** Waiters let through per check once the pool has room. */
  burst?: number;
  now?: () => number;
}

interface Waiter {
  deadline: number;
  /** When it joined the queue (priority_wait_seconds). */
  since: number;
  resolve(): void;
  reject(err: unknown): void;
}

export class PriorityGate {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly opts: PriorityGateOptions) {}

  waiting(pool: string): number {
    return this.queues.get(pool)?.length ?? 0;
  }

  async admit(pool: string, priority: Priority): Promise<void> {
    if (priority === "high") return;
    // Behind others already waiting, a newcomer waits too (FIFO), even if the pool just drained.
    if (!this.waiting(pool) && (await this.opts.load(pool).catch(() => 0)) < this.opts.saturatedAt) return;
    const queue = this.queues.get(pool) ?? []; // read after the await: others may have queued meanwhile
    if (queue.length >= this.opts.maxQueue) throw this.shed(pool);
    const now = this.opts.now ?? Date.now;
    return new Promise<void>((resolve, reject) => {
      const since = now();
      queue.push({ deadline: since + this.opts.maxWaitMs, since, resolve, reject });
      this.queues.set(pool, queue);
      metrics().priorityWaiting.set({ pool }, queue.length);
      this.schedule(pool);
    });
  }

  private shed(pool: string) {
    metrics().priorityShed.inc({ pool });
    return errors.unavailable("The model is busy serving priority traffic. Try again shortly.", Math.max(1, Math.ceil(this.opts.maxWaitMs / 1000)));
  }

  private schedule(pool: string): void {
    if (this.timers.has(pool)) return;
    const timer = setTimeout(() => {
      this.timers.delete(pool);
      void this.check(pool);
    }, this.opts.pollMs ?? 100);
    timer.unref?.();
    this.timers.set(pool, timer);
  }

  private async check(pool: string): Promise<void> {
    const queue = this.queues.get(pool);
    if (!queue?.length) return;
    const t = (this.opts.now ?? Date.now)();
    const waited = (w: Waiter, outcome: "admitted" | "shed") => metrics().priorityWait.observe({ pool, outcome }, (t - w.since) / 1000);
    while (queue.length && queue[0].deadline <= t) {
      const w = queue.shift()!;
      waited(w, "shed");
      w.reject(this.shed(pool));
    }
    if (queue.length) {
      let load: number;
      try {
        load = await this.opts.load(pool);
      } catch {
        load = 0;
      }
      if (load < this.opts.saturatedAt) {
        for (let i = 0; i < (this.opts.burst ?? 4) && queue.length; i++) {
          const w = queue.shift()!;
          waited(w, "admitted");
          w.resolve();
        }
      }
    }
    metrics().priorityWaiting.set({ pool }, queue.length);
    if (queue.length) this.schedule(pool);
    else this.queues.delete(pool);
  }
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    priorityGate: PriorityGate;
  }
}

/**
 * The process's gate, configured from PRIORITY_*. It reads pool load from the router, which already
 * polls every replica's /metrics about once a second for balancing (no second scrape here).
 */
export function priorityGate(): PriorityGate {
  const e = env();
  return processShared("priorityGate", () => new PriorityGate({
    load: async (pool) => poolSaturation(pool).waiting,
    saturatedAt: Math.max(1, e.PRIORITY_SATURATED_WAITING),
    maxQueue: e.PRIORITY_QUEUE_MAX,
    maxWaitMs: e.PRIORITY_MAX_WAIT_MS,
  }));
}
