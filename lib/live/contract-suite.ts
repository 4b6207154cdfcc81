// The behaviour every LiveStore implementation promises, run against each (memory-store.test.ts,
// redis-store.test.ts). `pair()` gives a writer and a reader: the same object for the in-process
// store, two stores with their own connections (two "instances") for Redis.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { LiveStore, LoggedEvent } from "./types";

type Ev = { t: string };
export type Pair = { writer: LiveStore<Ev>; reader: LiveStore<Ev> };

export const tick = () => new Promise<void>((r) => setImmediate(r));
export const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await wait(10);
  }
}

/** Collects a subscription's batches and checks they are contiguous. */
export function collector() {
  const seen: LoggedEvent<Ev>[] = [];
  return { seen, onEvents: (batch: LoggedEvent<Ev>[]) => void seen.push(...batch) };
}

const ev = (i: number): Ev => ({ t: `tok${i}` });

export function liveStoreContract(pair: () => Promise<Pair>) {
  it("assigns consecutive seqs and reads them back in order, from any seq", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    expect(writer.log.append(id, [ev(1), ev(2)])).toEqual([1, 2]);
    await tick();
    expect(writer.log.append(id, [ev(3)])).toEqual([3]);
    await writer.log.close(id);
    for (const store of [writer, reader]) {
      expect(await store.log.read(id, 0)).toEqual([1, 2, 3].map((seq) => ({ seq, event: ev(seq) })));
      expect((await store.log.read(id, 2)).map((e) => e.seq)).toEqual([3]);
      expect(await store.log.read(id, 3)).toEqual([]);
    }
  });

  it("replays from any seq then tails, every event exactly once in order, under concurrent appends", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    const total = 300;
    const subs: { after: number; c: ReturnType<typeof collector>; off: () => void }[] = [];
    for (let i = 1; i <= total; i++) {
      writer.log.append(id, [ev(i)]);
      if (i % 7 === 0) await tick();
      // Subscribers join throughout, from behind, at, and ahead of what exists.
      if (i % 50 === 0) {
        for (const after of [0, i - 40, i, Math.min(total, i + 5)]) {
          for (const store of [writer, reader]) {
            const c = collector();
            subs.push({ after, c, off: store.log.subscribe(id, after, c.onEvents) });
          }
        }
      }
    }
    const complete = () => subs.every((s) => s.c.seen.length === total - s.after);
    await until(complete);
    await wait(50);
    for (const s of subs) {
      expect(s.c.seen.map((e) => e.seq)).toEqual(Array.from({ length: total - s.after }, (_, k) => s.after + k + 1));
      s.off();
    }
    expect(subs.find((s) => s.after === 10)?.c.seen[0].event).toEqual(ev(11));
  });

  it("two subscribers of one reply each get the same events; unsubscribe stops delivery", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    const a = collector();
    const b = collector();
    const offA = reader.log.subscribe(id, 0, a.onEvents);
    const offB = reader.log.subscribe(id, 0, b.onEvents);
    writer.log.append(id, [ev(1), ev(2)]);
    await until(() => a.seen.length === 2 && b.seen.length === 2);
    offA();
    writer.log.append(id, [ev(3)]);
    await until(() => b.seen.length === 3);
    await wait(50);
    expect(a.seen.length).toBe(2);
    offB();
  });

  it("an event appended by another instance continues the log (the end of a reply whose generator died)", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    writer.log.append(id, [ev(1), ev(2), ev(3)]);
    const c = collector();
    const off = reader.log.subscribe(id, 0, c.onEvents);
    await until(() => c.seen.length === 3);
    reader.log.append(id, [ev(4)]);
    await until(() => c.seen.length === 4);
    expect(c.seen.map((e) => [e.seq, e.event.t])).toEqual([1, 2, 3, 4].map((i) => [i, `tok${i}`]));
    const late = collector();
    const offLate = reader.log.subscribe(id, 2, late.onEvents);
    await until(() => late.seen.length === 2);
    expect((await reader.log.read(id, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    off();
    offLate();
  });

  it("a log that does not exist yields nothing", async () => {
    const { reader } = await pair();
    const c = collector();
    const off = reader.log.subscribe(randomUUID(), 0, c.onEvents);
    await wait(100);
    expect(c.seen).toEqual([]);
    expect(await reader.log.read(randomUUID(), 0)).toEqual([]);
    off();
  });

  it("a stop requested anywhere reaches the generator's handler once, even one requested before it watched", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    let stopped = 0;
    writer.stops.onStop(id, () => stopped++);
    await wait(50); // the subscriber connection is up
    await reader.stops.requestStop(id);
    await until(() => stopped === 1);
    await reader.stops.requestStop(id);
    await wait(100);
    expect(stopped).toBe(1);

    const early = randomUUID();
    await reader.stops.requestStop(early);
    let late = 0;
    writer.stops.onStop(early, () => late++);
    await until(() => late === 1);
    let other = 0;
    writer.stops.onStop(randomUUID(), () => other++);
    await wait(100);
    expect(other).toBe(0);
  });

  it("acquires and releases a lease without any watcher firing", async () => {
    const { writer, reader } = await pair();
    const id = randomUUID();
    const fired: string[] = [];
    const off = reader.leases.watchExpired(async (replyId) => void fired.push(replyId));
    await writer.leases.acquire(id, { conversationId: randomUUID(), userId: randomUUID() });
    await writer.leases.release(id);
    await wait(300);
    expect(fired).not.toContain(id);
    off();
  });
}
