// The generator's lease. acquire() sets <reply>:lease (PX leaseTtlMs) and adds the reply to one
// sorted set (score = the lease's expiry) — the acquires of one tick in one pipeline, so a burst of
// new replies costs one round trip, not one each; a per-process timer renews every held lease in one
// pipeline. Every instance polls the index for scores in the past and runs CLAIM on each: on one
// reply's hash-tagged keys it checks that the lease is really gone and sets the claim NX, so exactly
// one instance handles a dead generator (kill -9), within leaseTtlMs + watchMs. The handler must be
// conditional (mark interrupted only a reply still streaming): a release whose ZREM was lost leaves a
// stale index entry, which is claimed like a lapsed one.
// After its own connection comes back, an instance claims nothing for a lease period, so owners
// that were cut off by the same outage can renew first.
import type IORedis from "ioredis";
import type { LiveKeys, LiveStats } from "./redis-keys";
import type { ReplyLease } from "./types";

type Meta = { conversationId: string; userId: string };

const CLAIM = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
const CLAIM_TTL_MS = 30_000;
const SCAN = 100;

export interface LeaseOptions {
  leaseTtlMs: number;
  renewMs: number;
  watchMs: number;
}

export class RedisReplyLease implements ReplyLease {
  /** reply id → its index member, renewed until released. */
  private held = new Map<string, string>();
  private unreleased = new Map<string, string>();
  private readySince = Date.now();
  private renewTimer: NodeJS.Timeout;
  private watchTimer: NodeJS.Timeout | undefined;
  private handlers = new Set<(replyId: string, meta: Meta) => Promise<void>>();
  private watching = false;
  /** Leases acquired this tick, written together. */
  private acquired: string[] = [];
  private acquiring: Promise<void> | null = null;

  constructor(
    private readonly cmd: IORedis,
    private readonly keys: LiveKeys,
    private readonly stats: LiveStats,
    private readonly instanceId: string,
    private readonly opts: LeaseOptions,
  ) {
    cmd.on("ready", () => (this.readySince = Date.now()));
    this.renewTimer = setInterval(() => void this.renew(), opts.renewMs);
    this.renewTimer.unref();
  }

  async acquire(replyId: string, meta: Meta): Promise<void> {
    const member = JSON.stringify([replyId, meta.conversationId, meta.userId]);
    this.held.set(replyId, member);
    this.acquired.push(replyId);
    this.acquiring ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const ids = this.acquired.splice(0);
        this.acquiring = null;
        void this.renew(ids).then(resolve);
      }),
    );
    await this.acquiring;
  }

  async release(replyId: string): Promise<void> {
    const member = this.held.get(replyId);
    this.held.delete(replyId);
    if (member && !(await this.drop(replyId, member))) this.unreleased.set(replyId, member);
  }

  watchExpired(handler: (replyId: string, meta: Meta) => Promise<void>): () => void {
    this.handlers.add(handler);
    if (!this.watchTimer) {
      this.watchTimer = setInterval(() => void this.watch(), this.opts.watchMs);
      this.watchTimer.unref();
    }
    return () => {
      this.handlers.delete(handler);
      if (this.handlers.size === 0) clearInterval(this.watchTimer);
      if (this.handlers.size === 0) this.watchTimer = undefined;
    };
  }

  stop(): void {
    clearInterval(this.renewTimer);
    clearInterval(this.watchTimer);
    this.handlers.clear();
  }

  private async renew(ids = [...this.held.keys()]): Promise<void> {
    for (const [id, member] of [...this.unreleased]) if (await this.drop(id, member)) this.unreleased.delete(id);
    if (ids.length === 0) return;
    const pipe = this.cmd.pipeline();
    const expiry = Date.now() + this.opts.leaseTtlMs;
    for (const id of ids) {
      const member = this.held.get(id);
      if (!member) continue;
      pipe.set(this.keys.lease(id), this.instanceId, "PX", this.opts.leaseTtlMs);
      pipe.zadd(this.keys.leaseIndex, expiry, member);
    }
    try {
      this.stats.roundTrips++;
      await pipe.exec();
    } catch {
      // Redis away: the next renewal tries again; the lease lapses only if Redis outlives it.
    }
  }

  private async drop(replyId: string, member: string): Promise<boolean> {
    try {
      this.stats.roundTrips++;
      const res = await this.cmd.pipeline().del(this.keys.lease(replyId)).zrem(this.keys.leaseIndex, member).exec();
      return (res ?? []).every(([err]) => !err);
    } catch {
      return false;
    }
  }

  private async watch(): Promise<void> {
    if (this.watching || Date.now() - this.readySince < this.opts.leaseTtlMs + this.opts.renewMs) return;
    this.watching = true;
    try {
      this.stats.roundTrips++;
      const members = await this.cmd.zrangebyscore(this.keys.leaseIndex, "-inf", Date.now(), "LIMIT", 0, SCAN);
      for (const member of members) await this.handle(member);
    } catch {
      // Redis away: the next poll looks again.
    } finally {
      this.watching = false;
    }
  }

  private async handle(member: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(member);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === "string")) {
      await this.cmd.zrem(this.keys.leaseIndex, member);
      return;
    }
    const [replyId, conversationId, userId] = parsed as string[];
    if (this.held.has(replyId)) return; // ours, and alive: the renewal is just late
    this.stats.roundTrips++;
    const won = await this.cmd.eval(CLAIM, 2, this.keys.lease(replyId), this.keys.claim(replyId), this.instanceId, CLAIM_TTL_MS);
    if (won !== 1) return;
    try {
      for (const handler of this.handlers) await handler(replyId, { conversationId, userId });
      this.stats.roundTrips++;
      await this.cmd.zrem(this.keys.leaseIndex, member);
    } catch (err) {
      // The claim expires after CLAIM_TTL_MS and some instance tries again.
      console.error("[live] lapsed-reply handler failed:", err instanceof Error ? err.name : "error");
    }
  }
}
