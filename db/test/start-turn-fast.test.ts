// startTurn's one-statement path (compare-and-set on the leaf) and its fallback to the transaction.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "../index";
import { getConversationById } from "../queries/conversations";
import { getActivePath, getMessageById, startConversationTurn, startTurn } from "../queries/messages";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

async function setup() {
  const user = await newUser();
  const conv = await newConversation(user.id);
  const leaf = async () => (await getConversationById({ id: conv.id, userId: user.id }))!.currentMessageId;
  const send = (content: string, expectedLeafId: string | null, parentId: string | null = null) =>
    startTurn({ userId: user.id, conversationId: conv.id, model: "sim", parentId, user: { content, contentTokens: { o200k_base: 1 } }, expectedLeafId });
  return { user, conv, leaf, send };
}

describe("startTurn with the leaf the caller read", () => {
  it("inserts the message and the placeholder under the leaf and moves the leaf, with depths", async () => {
    const { user, conv, leaf, send } = await setup();
    const first = (await send("one", null))!;
    expect(first.userMessage).toMatchObject({ parentId: null, sequenceNum: 0, content: "one", contentTokens: { o200k_base: 1 } });
    expect(first.assistant).toMatchObject({ parentId: first.userMessage!.id, sequenceNum: 1, role: "assistant", finishReason: null });
    expect(await leaf()).toBe(first.assistant.id);
    const second = (await send("two", first.assistant.id))!;
    expect(second.userMessage).toMatchObject({ parentId: first.assistant.id, sequenceNum: 2 });
    const stored = await getMessageById({ id: second.userMessage!.id, userId: user.id });
    expect(stored).toMatchObject({ content: "two", sequenceNum: 2, contentTokens: { o200k_base: 1 }, createdAt: second.userMessage!.createdAt });
    expect((await getActivePath({ conversationId: conv.id, userId: user.id })).map((m) => m.content)).toEqual(["one", "", "two", ""]);
  });

  it("a stale leaf falls back to the transaction and attaches to the real leaf", async () => {
    const { leaf, send } = await setup();
    const first = (await send("one", null))!;
    const second = (await send("two", null))!; // stale: the leaf is first.assistant now
    expect(second.userMessage!.parentId).toBe(first.assistant.id);
    expect(await leaf()).toBe(second.assistant.id);
  });

  it("reports a parent outside the conversation, and a stranger's conversation, as before", async () => {
    const { conv, send } = await setup();
    const other = await setup();
    const elsewhere = (await other.send("x", null))!;
    await expect(send("y", null, elsewhere.assistant.id)).rejects.toMatchObject({ code: "not_found:message" });
    const stranger = await newUser();
    expect(await startTurn({ userId: stranger.id, conversationId: conv.id, model: "sim", parentId: null, user: { content: "z" }, expectedLeafId: null })).toBeNull();
  });

  it("twenty concurrent turns that all read the same leaf form one chain", async () => {
    const { user, conv, send } = await setup();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`m${i}`, null)));
    expect(results.every(Boolean)).toBe(true);
    const path = await getActivePath({ conversationId: conv.id, userId: user.id });
    expect(path).toHaveLength(40);
    expect(path.map((m) => m.sequenceNum)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});

describe("startConversationTurn: a new chat's first turn in one statement", () => {
  it("creates the conversation with the placeholder as its leaf, the user message and the placeholder", async () => {
    const user = await newUser();
    const id = randomUUID();
    const messageId = randomUUID();
    const started = (await startConversationTurn({
      conversationId: id,
      userId: user.id,
      title: "Hello there",
      model: "sim",
      user: { id: messageId, content: "hello there", contentTokens: { o200k_base: 2 } },
    }))!;
    const stored = (await getConversationById({ id, userId: user.id }))!;
    expect(started.conversation).toEqual(stored);
    expect(stored).toMatchObject({ title: "Hello there", model: "sim", currentMessageId: started.turn.assistant.id, systemPrompt: null });
    expect(started.turn.userMessage).toMatchObject({ id: messageId, parentId: null, sequenceNum: 0, contentTokens: { o200k_base: 2 } });
    expect(started.turn.assistant).toMatchObject({ parentId: messageId, sequenceNum: 1, model: "sim", finishReason: null });
    const path = await getActivePath({ conversationId: id, userId: user.id });
    expect(path).toEqual([started.turn.userMessage, started.turn.assistant]);
  });

  it("is null for an id that exists (anyone's), and leaves that conversation alone", async () => {
    const { conv, user } = await setup();
    const stranger = await newUser();
    const args = { conversationId: conv.id, title: "t", model: "sim", user: { content: "mine now?" } };
    expect(await startConversationTurn({ ...args, userId: stranger.id })).toBeNull();
    expect(await startConversationTurn({ ...args, userId: user.id })).toBeNull();
    expect(await getActivePath({ conversationId: conv.id, userId: user.id })).toEqual([]);
    expect((await getConversationById({ id: conv.id, userId: user.id }))!.title).toBe(conv.title);
  });

  it("creates nothing when the message id is taken (the whole statement fails)", async () => {
    const { send, user } = await setup();
    const taken = (await send("one", null))!.userMessage!.id;
    const id = randomUUID();
    await expect(
      startConversationTurn({ conversationId: id, userId: user.id, title: "t", model: "sim", user: { id: taken, content: "again" } }),
    ).rejects.toThrow();
    expect(await getConversationById({ id, userId: user.id })).toBeNull();
  });
});
