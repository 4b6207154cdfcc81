// Stop across instances. requestStop sets the reply's stop key (the durable part) and publishes on
// one channel; each process holds ONE subscriber connection and calls the local handlers. Pub/sub
// drops messages for a subscriber that is disconnected, so the generator also polls the stop keys
// of the replies it watches, every pollMs and at once after its subscriber reconnects: a stop
// reaches it within pollMs even when the message was lost. A reply that starts watching looks at its
// stop key once at once (a stop requested just before): the new watches of one tick in one pipeline. A request made while Redis is away is
// retried by the poll timer until Redis takes it (bounded), and never rejects into the caller.
import type IORedis from "ioredis";
import type { LiveKeys, LiveStats } from "./redis-keys";
import type { StopBus } from "./types";

const STOP_TTL_MS = 10 * 60_000;
const MAX_UNSENT = 1_000;

interface Watch {
  handler: () => void;
  fired: boolean;
}

export class RedisStopBus implements StopBus {
  private watches = new Map<string, Set<Watch>>();
  private unsent = new Set<string>();
  private subscribed = false;
  private timer: NodeJS.Timeout;
  /** Replies that started watching this tick, checked together. */
  private fresh = new Set<string>();

  constructor(
    private readonly cmd: IORedis,
    private readonly sub: IORedis,
    private readonly keys: LiveKeys,
    private readonly stats: LiveStats,
    pollMs: number,
  ) {
    sub.on("message", (channel: string, replyId: string) => {
      if (channel === keys.stopChannel) this.fire(replyId);
    });
    // Messages published while the subscriber was away are lost: look at the keys instead.
    sub.on("ready", () => void this.poll());
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  async requestStop(replyId: string): Promise<void> {
    this.fire(replyId); // the generator may be this process: no need to wait for Redis
    if (!(await this.send(replyId)) && this.unsent.size < MAX_UNSENT) this.unsent.add(replyId);
  }

  onStop(replyId: string, handler: () => void): () => void {
    if (!this.subscribed) {
      this.subscribed = true;
      this.sub.subscribe(this.keys.stopChannel).catch(() => (this.subscribed = false));
    }
    const watch: Watch = { handler, fired: false };
    let set = this.watches.get(replyId);
    if (!set) this.watches.set(replyId, (set = new Set()));
    set.add(watch);
    // A stop requested before the generator started watching.
    if (this.fresh.size === 0) {
      setImmediate(() => {
        const ids = [...this.fresh];
        this.fresh.clear();
        void this.check(ids);
      });
    }
    this.fresh.add(replyId);
    return () => {
      set.delete(watch);
      if (set.size === 0 && this.watches.get(replyId) === set) this.watches.delete(replyId);
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.watches.clear();
    this.fresh.clear();
    this.unsent.clear();
  }

  private async send(replyId: string): Promise<boolean> {
    try {
      this.stats.roundTrips++;
      const res = await this.cmd
        .pipeline()
        .set(this.keys.stop(replyId), "1", "PX", STOP_TTL_MS)
        .publish(this.keys.stopChannel, replyId)
        .exec();
      return (res ?? []).every(([err]) => !err);
    } catch {
      return false;
    }
  }

  private async poll(): Promise<void> {
    for (const id of [...this.unsent]) if (await this.send(id)) this.unsent.delete(id);
    await this.check([...this.watches.keys()]);
  }

  private async check(replyIds: string[]): Promise<void> {
    if (replyIds.length === 0) return;
    try {
      const pipe = this.cmd.pipeline();
      for (const id of replyIds) pipe.exists(this.keys.stop(id));
      this.stats.roundTrips++;
      const res = (await pipe.exec()) ?? [];
      res.forEach(([err, found], i) => {
        if (!err && found === 1) this.fire(replyIds[i]);
      });
    } catch {
      // Redis away: the next poll looks again.
    }
  }

  private fire(replyId: string): void {
    for (const watch of this.watches.get(replyId) ?? []) {
      if (watch.fired) continue;
      watch.fired = true;
      queueMicrotask(watch.handler);
    }
  }
}
