// The Redis live store on a real Redis, two or three store objects standing for app instances (each
// with its own connections). Skipped without REDIS_URL; CI sets it. Each run uses its own key prefix.
import { randomUUID } from "node:crypto";
import IORedis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { collector, liveStoreContract, tick, until, wait } from "./contract-suite";
import { createRedisLiveStore, type RedisLiveOptions, type RedisLiveStore } from "./redis-store";

const REDIS_URL = process.env.REDIS_URL;
const prefix = `test:${randomUUID()}:`;
const stores: RedisLiveStore<{ t: string }>[] = [];
let admin: IORedis | undefined;

function instance(opts: Partial<RedisLiveOptions> = {}) {
  const s = createRedisLiveStore<{ t: string }>({ url: REDIS_URL!, prefix, ...opts });
  stores.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  if (!admin) return;
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length) await admin.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  admin.disconnect();
});

describe.skipIf(!REDIS_URL)("Redis live store", () => {
  admin = REDIS_URL ? new IORedis(REDIS_URL) : undefined;
  // Short leases, so the contract's "released lease never fires" would see a wrong claim.
  const fast = { leaseTtlMs: 400, renewMs: 100, watchMs: 50 };
  const a = REDIS_URL ? instance(fast) : undefined;
  const b = REDIS_URL ? instance(fast) : undefined;
  liveStoreContract(async () => ({ writer: a!, reader: b! }));

  it("serves many subscribers of many replies over one reader connection per process", async () => {
    const reader = instance();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const subs = ids.flatMap((id) => Array.from({ length: 20 }, () => ({ id, c: collector() })));
    const offs = subs.map((s) => reader.log.subscribe(s.id, 0, s.c.onEvents));
    for (let i = 0; i < 10; i++) {
      for (const id of ids) a!.log.append(id, [{ t: `x${i}` }]);
      await tick();
    }
    await until(() => subs.every((s) => s.c.seen.length === 10));
    const list = (await admin!.client("LIST")) as string;
    const mine = list.split("\n").filter((line) => line.includes(`name=chatgate-live:${reader.instanceId}:`));
    expect(mine).toHaveLength(3); // commands, the blocking reader, the pub/sub subscriber
    expect(mine.filter((l) => l.includes(":reader"))).toHaveLength(1);
    for (const off of offs) off();
  });

  it("wakes the blocked reader for a newly watched reply instead of waiting out its BLOCK timeout", async () => {
    const reader = instance({ blockMs: 10_000 });
    const off1 = reader.log.subscribe(randomUUID(), 0, () => {});
    await wait(200); // now blocked in XREAD on the first stream only
    const id = randomUUID();
    const c = collector();
    const off2 = reader.log.subscribe(id, 0, c.onEvents);
    const sentAt = Date.now();
    a!.log.append(id, [{ t: "x" }]);
    await until(() => c.seen.length === 1, 2_000);
    expect(Date.now() - sentAt).toBeLessThan(300);
    off1();
    off2();
  });

  it("sends the appends of one tick as one round trip", async () => {
    const w = instance();
    await wait(100);
    const ids = [randomUUID(), randomUUID()];
    const before = w.stats.roundTrips;
    for (let i = 0; i < 400; i++) w.log.append(ids[i % 2], [{ t: `t${i}` }]);
    await until(async () => (await b!.log.read(ids[1], 0)).length === 200);
    expect(w.stats.roundTrips - before).toBe(1);
    expect((await b!.log.read(ids[0], 0)).map((e) => e.event.t)).toEqual(Array.from({ length: 200 }, (_, k) => `t${2 * k}`));
  });

  it("trims long streams approximately and lets a closed log expire", async () => {
    const w = instance({ closedTtlMs: 300, maxLen: 100 });
    const id = randomUUID();
    for (let i = 0; i < 500; i++) w.log.append(id, [{ t: `t${i}` }]);
    await tick();
    const key = `${prefix}live:{${id}}:events`;
    await until(async () => (await admin!.exists(key)) === 1);
    expect(await admin!.pttl(key)).toBeGreaterThan(60_000); // the live expiry
    await w.log.close(id);
    expect(await admin!.xlen(key)).toBeLessThan(500);
    expect(await admin!.pttl(key)).toBeLessThanOrEqual(300);
    await until(async () => (await admin!.exists(key)) === 0, 2_000);
    expect(await b!.log.read(id, 0)).toEqual([]);
  });

  it("a stop reaches the other instance over pub/sub, without waiting for the key poll", async () => {
    const [gen, other] = [instance({ watchMs: 60_000 }), instance({ watchMs: 60_000 })];
    const id = randomUUID();
    let stoppedAt = 0;
    gen.stops.onStop(id, () => (stoppedAt = Date.now()));
    await wait(200);
    const sentAt = Date.now();
    await other.stops.requestStop(id);
    await until(() => stoppedAt > 0, 1_000);
    expect(stoppedAt - sentAt).toBeLessThan(200);
  });

  it("a lapsed lease (its store gone without releasing) is claimed by exactly one other instance", async () => {
    const opts = { leaseTtlMs: 400, renewMs: 100, watchMs: 50 };
    const owner = instance(opts);
    const watchers = [instance(opts), instance(opts), instance(opts)];
    const claims: { by: number; replyId: string; conversationId: string }[] = [];
    const offs = watchers.map((w, by) => w.leases.watchExpired(async (replyId, meta) => void claims.push({ by, replyId, ...meta })));
    const dead = randomUUID();
    const alive = randomUUID();
    const conversationId = randomUUID();
    await owner.leases.acquire(dead, { conversationId, userId: randomUUID() });
    await watchers[0].leases.acquire(alive, { conversationId, userId: randomUUID() });
    await wait(1_000); // past the watchers' start-up grace; renewals keep both leases alive
    expect(claims).toEqual([]);
    const killedAt = Date.now();
    await owner.close(); // stands for kill -9: the lease is never released
    await until(() => claims.length > 0, 3_000);
    expect(Date.now() - killedAt).toBeLessThan(1_500);
    await wait(500);
    expect(claims.map((c) => c.replyId)).toEqual([dead]);
    expect(claims[0].conversationId).toBe(conversationId);
    offs.forEach((off) => off());
  });
});
