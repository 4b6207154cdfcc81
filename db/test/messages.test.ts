import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, dbDriver, getDb } from "../index";
import { getConversationById } from "../queries/conversations";
import {
  checkpointAssistantMessages,
  finishAssistantMessage,
  getActivePath,
  getMessageById,
  INTERRUPTED_ERROR,
  startTurn,
  sweepInterruptedMessages,
} from "../queries/messages";
import { messages } from "../schema";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

async function setup() {
  const user = await newUser();
  const conv = await newConversation(user.id);
  const turn = (args: { parentId?: string | null; content?: string | null; assistantId?: string }) =>
    startTurn({
      userId: user.id,
      conversationId: conv.id,
      model: "sim",
      parentId: args.parentId ?? null,
      user: args.content === null ? null : { content: args.content ?? "hi" },
      assistantId: args.assistantId,
    }).then((t) => t!);
  const path = () => getActivePath({ conversationId: conv.id, userId: user.id });
  return { user, conv, turn, path };
}

describe("startTurn and getActivePath", () => {
  it("builds the tree with depths and follows current_message_id", async () => {
    const { user, conv, turn, path } = await setup();
    const assistantId = randomUUID();
    const t1 = await turn({ content: "first", assistantId });
    expect(t1.userMessage).toMatchObject({ role: "user", content: "first", parentId: null, sequenceNum: 0 });
    expect(t1.assistant).toMatchObject({
      id: assistantId,
      role: "assistant",
      content: "",
      finishReason: null,
      parentId: t1.userMessage!.id,
      sequenceNum: 1,
      model: "sim",
    });
    const t2 = await turn({ content: "second" }); // continues from the current leaf
    expect(t2.userMessage).toMatchObject({ parentId: assistantId, sequenceNum: 2 });
    expect((await path()).map((m) => m.id)).toEqual([t1.userMessage!.id, assistantId, t2.userMessage!.id, t2.assistant.id]);

    const conversation = await getConversationById({ id: conv.id, userId: user.id });
    expect(conversation?.currentMessageId).toBe(t2.assistant.id);
    expect(conversation!.updatedAt.getTime()).toBeGreaterThanOrEqual(conv.updatedAt.getTime());
  });

  it("regenerates as a sibling, and edits branch from an earlier message", async () => {
    const { turn, path } = await setup();
    const t1 = await turn({ content: "q1" });
    const t2 = await turn({ content: "q2" });

    // Regenerate the second reply: a new assistant under the same user message.
    const regen = await turn({ parentId: t2.userMessage!.id, content: null });
    expect(regen.userMessage).toBeNull();
    expect(regen.assistant).toMatchObject({ parentId: t2.userMessage!.id, sequenceNum: 3 });
    expect((await path()).map((m) => m.id)).toEqual([
      t1.userMessage!.id,
      t1.assistant.id,
      t2.userMessage!.id,
      regen.assistant.id,
    ]);

    // Regenerate with no parent: the current reply's user message.
    const regen2 = await turn({ content: null });
    expect(regen2.assistant.parentId).toBe(t2.userMessage!.id);

    // Edit the second question: a sibling of it, under the first reply.
    const edit = await turn({ parentId: t1.assistant.id, content: "q2 edited" });
    expect(edit.userMessage).toMatchObject({ parentId: t1.assistant.id, sequenceNum: 2 });
    const p = await path();
    expect(p.map((m) => m.content)).toEqual(["q1", "", "q2 edited", ""]);
    expect(p.map((m) => m.sequenceNum)).toEqual([0, 1, 2, 3]);
  });

  it("refuses a parent from another conversation, and a regenerate under a non-user message", async () => {
    const a = await setup();
    const b = await setup();
    const ta = await a.turn({ content: "a" });
    await expect(b.turn({ parentId: ta.assistant.id, content: "x" })).rejects.toMatchObject({ code: "not_found:message" });
    await expect(b.turn({ parentId: "bogus", content: "x" })).rejects.toMatchObject({ code: "not_found:message" });
    await expect(a.turn({ parentId: ta.assistant.id, content: null })).rejects.toMatchObject({ code: "invalid_parent" });
    // A regenerate in an empty conversation has nothing to regenerate.
    await expect(b.turn({ content: null })).rejects.toMatchObject({ code: "invalid_parent" });
    // Nothing was written by the failed calls.
    expect(await b.path()).toEqual([]);
  });

  it("returns an empty path for a conversation without messages", async () => {
    const { path } = await setup();
    expect(await path()).toEqual([]);
  });

  it("survives 20 concurrent turns (serialized transactions, one leaf chain)", async () => {
    const { turn, path } = await setup();
    const turns = await Promise.all(Array.from({ length: 20 }, (_, i) => turn({ content: `m${i}` })));
    expect(turns).toHaveLength(20);
    const p = await path();
    // Each turn continued from the leaf the previous one left, so the path holds all of them in order.
    expect(p).toHaveLength(40);
    expect(p.map((m) => m.sequenceNum)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("survives 20 concurrent turns across conversations and users", async () => {
    const setups = await Promise.all(Array.from({ length: 5 }, () => setup()));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => setups[i % 5].turn({ content: `x${i}` })),
    );
    expect(new Set(results.map((r) => r.assistant.id)).size).toBe(20);
    for (const s of setups) expect(await s.path()).toHaveLength(8);
  });
});

describe("streaming writes", () => {
  it("checkpoint until finished; finish once", async () => {
    const { user, turn } = await setup();
    const { assistant } = await turn({ content: "q" });
    const { assistant: other } = await turn({ content: "q2" });
    // One statement for several streams.
    expect(await checkpointAssistantMessages([{ id: assistant.id, content: "Hel" }, { id: other.id, content: "Wor" }])).toBe(2);
    expect((await getMessageById({ id: other.id, userId: user.id }))?.content).toBe("Wor");
    expect((await getMessageById({ id: assistant.id, userId: user.id }))?.content).toBe("Hel");

    const done = await finishAssistantMessage({
      id: assistant.id,
      content: "Hello",
      finishReason: "stop",
      model: "sim-2",
      replica: "r1",
      tokenCount: { prompt: 3, completion: 2 },
      ttftMs: 12,
      latencyMs: 40,
    });
    expect(done).toBe(true);
    expect(await finishAssistantMessage({ id: assistant.id, content: "X", finishReason: "error", error: "late", model: "m" })).toBe(false);
    expect(await checkpointAssistantMessages([{ id: assistant.id, content: "late" }])).toBe(0);

    expect(await getMessageById({ id: assistant.id, userId: user.id })).toMatchObject({
      content: "Hello",
      finishReason: "stop",
      error: null,
      model: "sim-2",
      replica: "r1",
      tokenCount: { prompt: 3, completion: 2 },
      ttftMs: 12,
      latencyMs: 40,
    });
  });

  it("sweep marks stale streaming replies interrupted, keeping their text, and only those", async () => {
    const { user, turn } = await setup();
    const stale = (await turn({ content: "a" })).assistant;
    const fresh = (await turn({ content: "b" })).assistant;
    const finished = (await turn({ content: "c" })).assistant;
    await checkpointAssistantMessages([{ id: stale.id, content: "partial" }]);
    await finishAssistantMessage({ id: finished.id, content: "done", finishReason: "stop", model: "sim" });
    const db = await getDb();
    // Far in the past, so this test's sweep cannot touch other test files' live replies.
    const longAgo = new Date("2001-01-01T00:00:00Z");
    for (const id of [stale.id, finished.id]) await db.update(messages).set({ updatedAt: longAgo }).where(eq(messages.id, id));

    expect(await sweepInterruptedMessages({ staleBefore: new Date("2001-01-02T00:00:00Z") })).toBe(1);
    expect(await getMessageById({ id: stale.id, userId: user.id })).toMatchObject({
      finishReason: "interrupted",
      error: INTERRUPTED_ERROR,
      content: "partial",
    });
    expect((await getMessageById({ id: fresh.id, userId: user.id }))?.finishReason).toBeNull();
    expect(await getMessageById({ id: finished.id, userId: user.id })).toMatchObject({ finishReason: "stop", content: "done" });
    // A reply finishing after the sweep does not override "interrupted".
    expect(await finishAssistantMessage({ id: stale.id, content: "x", finishReason: "stop", model: "sim" })).toBe(false);
  });
});

describe("driver", () => {
  it("is the one the environment selects", () => {
    expect(["pglite", "postgres"]).toContain(dbDriver());
  });
});
