// A generator that dies (its lease lapses without a release, as after kill -9) has its reply ended
// by another instance: `interrupted`, with the text of its last checkpoint, and an end event in the
// log so attached clients see the end. Needs Redis (REDIS_URL): the in-process store has no other
// instance to die. The "dead" instance is a second live store on the same keys that stops renewing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import type { LoggedReplyEvent, ReplyEvent } from "@/lib/gateway/pipeline/events";
import { newUser, startSimulator, waitFor } from "../support/gateway-harness";

const redisUrl = process.env.REDIS_URL;
const prefix = `orphan-test-${randomUUID()}:`;
let sim: InferenceServer;

beforeAll(async () => {
  sim = await startSimulator({ LIVE_KEY_PREFIX: prefix });
  // Keys of our own: another process on the same Redis must not claim (and so hide) this dead lease.
  (await import("@/lib/env")).resetEnvForTests();
  const { resetLiveStoreForTests } = await import("@/lib/live");
  await resetLiveStoreForTests();
});
afterAll(async () => {
  await sim?.close();
  const { resetLiveStoreForTests } = await import("@/lib/live");
  await resetLiveStoreForTests();
});

describe.skipIf(!redisUrl)("a reply whose generator died", () => {
  it("is ended interrupted with its checkpointed text, and attached clients get the end event", async () => {
    const { live } = await import("@/lib/gateway/pipeline/live");
    const { createRedisLiveStore } = await import("@/lib/live/redis-store");
    const { createConversation } = await import("@/db/queries/conversations");
    const { startTurn, checkpointAssistantMessages, getMessageById } = await import("@/db/queries/messages");
    const store = live(); // this instance: watches for lapsed leases

    const user = await newUser();
    const conversation = await createConversation({ userId: user.id, model: "gpt-4o", title: "t" });
    const turn = await startTurn({ userId: user.id, conversationId: conversation.id, model: "gpt-4o", parentId: null, user: { content: "hi" } });
    const replyId = turn!.assistant.id;
    await checkpointAssistantMessages([{ id: replyId, content: "partial text" }]);

    const dead = createRedisLiveStore<ReplyEvent>({ url: redisUrl!, prefix, leaseTtlMs: 300, renewMs: 100 });
    await dead.leases.acquire(replyId, { conversationId: conversation.id, userId: user.id });
    dead.log.append(replyId, [{ type: "text", text: "partial text" }]);
    await new Promise((r) => setTimeout(r, 200)); // its append is flushed
    const seen: LoggedReplyEvent[] = [];
    const off = store.log.subscribe(replyId, 0, (events) => seen.push(...(events as LoggedReplyEvent[])));
    await dead.close(); // kill -9: no release, no more renewals

    const row = await waitFor(async () => {
      const m = await getMessageById({ id: replyId, userId: user.id });
      return m?.finishReason ? m : null;
    }, 30_000);
    expect(row).toMatchObject({ finishReason: "interrupted", content: "partial text" });
    const end = await waitFor(async () => seen.find((e) => e.event.type === "end"), 5_000);
    expect(end.event).toMatchObject({ type: "end", finishReason: "interrupted" });
    expect(seen.map((e) => e.seq)).toEqual([1, 2]); // the text, then the end, in order
    off();
  }, 120_000);
});
