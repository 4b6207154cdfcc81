// Two app instances behind HAProxy, one PostgreSQL database and one Redis (issue 13, item 7): a reply
// is resumed and stopped from the instance that does not generate it, a cap holds across both, a
// killed generator's reply ends `interrupted`, and a Redis outage follows lib/live/README.md's policy.
// Run: npm run test:multi (builds first if the build is stale; needs PostgreSQL on 127.0.0.1:5432,
// redis-server and haproxy on PATH).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consecutive, eventually, guest, resume, saved, sendChat, simRequests, sleep, stop } from "./client";
import { CAP, FAST_MODEL, SIM_SLOW, SLOW_MODEL, startStack, type Stack } from "./stack";

let stack: Stack;
const A = () => stack.apps[0].url;
const B = () => stack.apps[1].url;

beforeAll(async () => {
  stack = await startStack();
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

describe("two instances behind HAProxy", () => {
  it("balances round-robin, without stickiness", async () => {
    // One client, one keep-alive connection: its requests still spread over both instances.
    const served: (string | null)[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${stack.balancer.url}/login`);
      await res.arrayBuffer();
      served.push(res.headers.get("x-served-by"));
    }
    for (const name of ["a", "b"]) expect(served.filter((s) => s === name).length, served.join(",")).toBeGreaterThanOrEqual(4);
  });

  it("resumes a reply on the other instance mid-stream, every token exactly once", async () => {
    const g = await guest(stack.balancer.url);
    const id = randomUUID();
    const first = await sendChat(A(), g, id, SLOW_MODEL);
    expect(first.status).toBe(200);
    await first.until((r) => r.deltas.length >= 8, 15_000);
    first.abort(); // the tab goes away; generation goes on
    const k = first.lastSeq();
    const second = await resume(B(), g, id, k);
    const fromStart = await resume(B(), g, id, 0); // a second tab, from the beginning
    expect(second.status).toBe(200);
    await second.until((r) => r.ended, 30_000);
    await fromStart.until((r) => r.ended, 30_000);
    expect(second.broken).toBe(false);
    expect(second.deltas.length).toBeGreaterThan(0); // it was mid-stream
    expect(second.seqs[0]).toBe(k + 1);
    const seqs = [...first.seqs, ...second.seqs];
    expect(consecutive(seqs)).toBe(true);
    const text = first.text + second.text;
    expect(fromStart.text).toBe(text);
    expect(consecutive(fromStart.seqs)).toBe(true);
    const messages = await eventually("saved reply", () => saved(stack.balancer.url, g, id), (m) => m.at(-1)?.finish_reason != null, 10_000);
    expect(messages.at(-1)).toMatchObject({ role: "assistant", content: text });
    expect(["stop", "length"]).toContain(messages.at(-1)!.finish_reason);
  });

  it("stops generation from the other instance: the upstream sequence is aborted", async () => {
    const g = await guest(stack.balancer.url);
    const id = randomUUID();
    const before = new Set((await simRequests(stack.sim.url, SIM_SLOW)).map((r) => r.id));
    const reply = await sendChat(A(), g, id, SLOW_MODEL);
    await reply.until((r) => r.deltas.length >= 3, 15_000);
    expect(await stop(B(), g, id)).toBe(204);
    await reply.until((r) => r.ended, 5_000);
    const ours = await eventually(
      "the simulator's record",
      async () => (await simRequests(stack.sim.url, SIM_SLOW)).filter((r) => !before.has(r.id)),
      (rs) => rs.length === 1 && rs[0].status !== "running",
      5_000,
    );
    expect(ours[0].status).toBe("aborted");
    const last = (await saved(B(), g, id)).at(-1)!;
    expect(last.finish_reason).toBe("aborted");
    expect(reply.text.startsWith(last.content)).toBe(true);
  });

  it(`allows exactly ${CAP} messages of a capped model across both instances`, async () => {
    const g = await guest(stack.balancer.url);
    const attempts = await Promise.all(
      Array.from({ length: 2 * CAP + 2 }, async () => {
        const r = await sendChat(stack.balancer.url, g, randomUUID(), FAST_MODEL);
        if (r.status === 200) await r.until((x) => x.ended, 15_000);
        return r;
      }),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(CAP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(CAP + 2);
    expect(new Set(attempts.map((r) => r.servedBy))).toEqual(new Set(["a", "b"]));
  });

  it("survives Redis going away: no 5xx, local streams go on, resumption recovers when Redis returns", async () => {
    const g = await guest(stack.balancer.url);
    const id = randomUUID();
    const first = await sendChat(A(), g, id, SLOW_MODEL);
    await first.until((r) => r.deltas.length >= 5, 15_000);
    await stack.redis.stop();
    const downAt = Date.now();
    // A resume on the other instance waits for Redis; meanwhile everything else answers, without 5xx.
    const k = first.lastSeq();
    const resumed = await resume(B(), g, id, k);
    expect(resumed.status).toBe(200);
    const during = await Promise.all([
      sendChat(stack.balancer.url, g, randomUUID(), SLOW_MODEL),
      sendChat(stack.balancer.url, g, randomUUID(), SLOW_MODEL),
      fetch(`${stack.balancer.url}/v1/conversations/${id}`, { headers: { cookie: g.cookie } }),
      fetch(`${stack.balancer.url}/login`),
    ]);
    for (const r of during) expect(r.status).toBeLessThan(500);
    expect(during.slice(0, 2).map((r) => r.status)).toEqual([200, 200]); // LIMITS_ON_REDIS_ERROR=open
    const seenBefore = first.deltas.length;
    await first.until((r) => r.deltas.length > seenBefore + 5, 10_000); // the generating instance's own client
    await sleep(Math.max(0, 1_500 - (Date.now() - downAt)));
    await stack.redis.start();
    await resumed.until((r) => r.ended, 30_000);
    await first.until((r) => r.ended, 30_000);
    expect(resumed.broken).toBe(false);
    expect(resumed.seqs[0]).toBe(k + 1);
    expect(consecutive([...first.seqs.filter((s) => s <= k), ...resumed.seqs])).toBe(true);
    const beforeResume = first.deltas.filter((d) => d.seq <= k).map((d) => d.text).join("");
    expect(beforeResume + resumed.text).toBe(first.text);
    for (const r of during.slice(0, 2) as Awaited<ReturnType<typeof sendChat>>[]) r.abort();
  });

  it("kill -9 of the generating instance: the reply ends interrupted with its checkpointed text within 5 s", async () => {
    const g = await guest(B());
    const id = randomUUID();
    const gen = await sendChat(A(), g, id, SLOW_MODEL);
    await gen.until((r) => r.deltas.length >= 5, 15_000);
    const watcher = await resume(B(), g, id, 0);
    await sleep(1_200); // past a checkpoint (CHECKPOINT_MS=500)
    const streamed = gen.text;
    process.kill(stack.apps[0].pid, "SIGKILL");
    const killedAt = Date.now();
    await watcher.until((r) => r.ended, 5_000, "the watcher on the surviving instance");
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(watcher.finishReason).toBe("interrupted");
    const messages = await saved(B(), g, id);
    const [user, reply] = messages.slice(-2);
    expect(user.role).toBe("user");
    expect(user.content).toMatch(/^Explain how a reply survives a failover/);
    expect(reply).toMatchObject({ role: "assistant", finish_reason: "interrupted" });
    expect(reply.content.length).toBeGreaterThan(0);
    expect(streamed.startsWith(reply.content) || reply.content.startsWith(streamed)).toBe(true);
    // Through the balancer the dead instance is skipped (redispatch, then its health check fails).
    const res = await fetch(`${stack.balancer.url}/v1/conversations/${id}`, { headers: { cookie: g.cookie } });
    expect(res.status).toBe(200);
  });
});
