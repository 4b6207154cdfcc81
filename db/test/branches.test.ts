// The message tree: versions (siblings) on the active path, switching versions, forks and shares.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "../index";
import { branchConversation, getActivePathWithSiblings, switchToBranch } from "../queries/branches";
import { deleteConversationById, getConversationById } from "../queries/conversations";
import { finishAssistantMessage, startTurn } from "../queries/messages";
import {
  forkSharedConversation,
  getShareByConversationId,
  getSharedConversationByToken,
  revokeShare,
  shareConversation,
} from "../queries/shares";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

async function setup() {
  const user = await newUser();
  const conv = await newConversation(user.id, "Trees");
  /** A user message (or a regenerate when content is null) and its finished reply "re: …". */
  const turn = async (args: { parentId?: string | null; content: string | null; newRoot?: boolean }) => {
    const t = (await startTurn({
      userId: user.id,
      conversationId: conv.id,
      model: "sim",
      parentId: args.parentId ?? null,
      newRoot: args.newRoot,
      user: args.content === null ? null : { content: args.content },
    }))!;
    await finishAssistantMessage({ id: t.assistant.id, content: `re: ${args.content ?? "again"}`, finishReason: "stop", model: "sim", tokenCount: { prompt: 3, completion: 5 } });
    return t;
  };
  const path = () => getActivePathWithSiblings({ conversationId: conv.id, userId: user.id });
  return { user, conv, turn, path };
}

describe("active path with versions", () => {
  it("lists each path message's siblings, oldest first, for roots and inner messages", async () => {
    const { user, conv, turn, path } = await setup();
    const t1 = await turn({ content: "q1" });
    const t2 = await turn({ content: "q2" });
    const edit = await turn({ parentId: t1.assistant.id, content: "q2 edited" });
    const regen = await turn({ parentId: edit.userMessage!.id, content: null });
    const rootEdit = await turn({ newRoot: true, content: "q1 edited" });

    const p = await path();
    expect(p.map((m) => m.content)).toEqual(["q1 edited", "re: q1 edited"]);
    expect(p[0].siblingIds).toEqual([t1.userMessage!.id, rootEdit.userMessage!.id]);
    expect(p[0].parentId).toBeNull();
    expect(p[1].siblingIds).toEqual([rootEdit.assistant.id]);

    const back = (await switchToBranch({ conversationId: conv.id, userId: user.id, messageId: t1.userMessage!.id }))!;
    // The most recent leaf below the first root: the regenerated reply of the edited second question.
    expect(back.map((m) => m.content)).toEqual(["q1", "re: q1", "q2 edited", "re: again"]);
    expect(back[2].siblingIds).toEqual([t2.userMessage!.id, edit.userMessage!.id]);
    expect(back[3].siblingIds).toEqual([edit.assistant.id, regen.assistant.id]);
  });

  it("switching is remembered in current_message_id and is owner-scoped", async () => {
    const { user, conv, turn, path } = await setup();
    const t1 = await turn({ content: "a" });
    const t2 = await turn({ parentId: t1.assistant.id, content: "b1" });
    await turn({ parentId: t1.assistant.id, content: "b2" });
    const other = await newUser();
    expect(await switchToBranch({ conversationId: conv.id, userId: other.id, messageId: t2.userMessage!.id })).toBeNull();
    expect((await path()).at(-1)!.content).toBe("re: b2");

    await switchToBranch({ conversationId: conv.id, userId: user.id, messageId: t2.userMessage!.id });
    expect((await getConversationById({ id: conv.id, userId: user.id }))!.currentMessageId).toBe(t2.assistant.id);
    expect((await path()).map((m) => m.content)).toEqual(["a", "re: a", "b1", "re: b1"]);
    // A message of another conversation is a miss, and nothing moves.
    const elsewhere = await setup();
    const e1 = await elsewhere.turn({ content: "x" });
    expect(await switchToBranch({ conversationId: conv.id, userId: user.id, messageId: e1.userMessage!.id })).toBeNull();
    expect((await path()).at(-1)!.content).toBe("re: b1");
  });
});

describe("branch into a new conversation", () => {
  it("copies the path up to the message with new ids, and survives deleting the source", async () => {
    const { user, conv, turn, path } = await setup();
    await turn({ content: "one" });
    const t2 = await turn({ content: "two" });
    await turn({ content: "three" });
    const source = await path();

    const fork = (await branchConversation({ conversationId: conv.id, userId: user.id, fromMessageId: t2.assistant.id }))!;
    expect(fork).toMatchObject({ userId: user.id, parentId: conv.id, branchPoint: t2.assistant.id, title: "Branch · Trees", model: conv.model });
    const copied = await getActivePathWithSiblings({ conversationId: fork.id, userId: user.id });
    expect(copied.map((m) => [m.role, m.content, m.sequenceNum, m.tokenCount])).toEqual(
      source.slice(0, 4).map((m) => [m.role, m.content, m.sequenceNum, m.tokenCount]),
    );
    expect(copied.map((m) => m.id).filter((id) => source.some((s) => s.id === id))).toEqual([]);
    expect(copied[1].parentId).toBe(copied[0].id);
    expect(fork.currentMessageId).toBe(copied[3].id);

    expect(await deleteConversationById({ id: conv.id, userId: user.id })).toBe(true);
    const after = await getActivePathWithSiblings({ conversationId: fork.id, userId: user.id });
    expect(after.map((m) => m.content)).toEqual(["one", "re: one", "two", "re: two"]);
    expect((await getConversationById({ id: fork.id, userId: user.id }))!.parentId).toBeNull();
  });

  it("refuses another user's conversation and a message from elsewhere", async () => {
    const { user, conv, turn } = await setup();
    const t1 = await turn({ content: "mine" });
    const other = await newUser();
    expect(await branchConversation({ conversationId: conv.id, userId: other.id, fromMessageId: t1.assistant.id })).toBeNull();
    const elsewhere = await setup();
    const e1 = await elsewhere.turn({ content: "theirs" });
    await expect(branchConversation({ conversationId: conv.id, userId: user.id, fromMessageId: e1.assistant.id })).rejects.toMatchObject({
      code: "not_found:message",
    });
  });
});

describe("share links", () => {
  it("snapshots the active path, moves the snapshot on re-share with the same token, and revokes", async () => {
    const { user, conv, turn } = await setup();
    await turn({ content: "first" });
    const s1 = (await shareConversation({ conversationId: conv.id, userId: user.id }))!;
    expect(s1.token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes = 192 bits
    expect((await getSharedConversationByToken({ token: s1.token! }))!.messages.map((m) => m.content)).toEqual(["first", "re: first"]);

    await turn({ content: "second" });
    // Later messages are not in the snapshot until the owner shares again.
    expect((await getSharedConversationByToken({ token: s1.token! }))!.messages).toHaveLength(2);
    const s2 = (await shareConversation({ conversationId: conv.id, userId: user.id }))!;
    expect(s2.token).toBe(s1.token);
    const shared = (await getSharedConversationByToken({ token: s1.token! }))!;
    expect(shared.messages.map((m) => m.content)).toEqual(["first", "re: first", "second", "re: second"]);
    expect(shared).toEqual({ title: "Trees", model: conv.model, messages: expect.any(Array) });

    expect(await revokeShare({ conversationId: conv.id, userId: user.id })).toBe(true);
    expect(await getSharedConversationByToken({ token: s1.token! })).toBeNull();
    expect(await getShareByConversationId({ conversationId: conv.id, userId: user.id })).toMatchObject({ token: null, messageId: null });
    const s3 = (await shareConversation({ conversationId: conv.id, userId: user.id }))!;
    expect(s3.token).not.toBe(s1.token);
  });

  it("only the owner shares or revokes; an empty chat has nothing to share; bad tokens are misses", async () => {
    const { user, conv, turn } = await setup();
    const other = await newUser();
    expect(await shareConversation({ conversationId: conv.id, userId: user.id })).toBeNull(); // no messages yet
    await turn({ content: "hello" });
    expect(await shareConversation({ conversationId: conv.id, userId: other.id })).toBeNull();
    const s = (await shareConversation({ conversationId: conv.id, userId: user.id }))!;
    expect(await revokeShare({ conversationId: conv.id, userId: other.id })).toBe(false);
    expect(await getShareByConversationId({ conversationId: conv.id, userId: other.id })).toBeNull();
    expect(await getSharedConversationByToken({ token: s.token! })).not.toBeNull();
    expect(await getSharedConversationByToken({ token: "x" })).toBeNull();
    expect(await getSharedConversationByToken({ token: `${s.token!.slice(0, 31)}${s.token!.endsWith("A") ? "B" : "A"}` })).toBeNull();
  });

  it("continuing a share forks the snapshot into the viewer's account without the system prompt", async () => {
    const { user, conv, turn } = await setup();
    const { updateConversation } = await import("../queries/conversations");
    await updateConversation({ id: conv.id, userId: user.id, patch: { systemPrompt: "secret owner prompt" } });
    await turn({ content: "shared question" });
    const s = (await shareConversation({ conversationId: conv.id, userId: user.id }))!;
    await turn({ content: "not yet shared" });
    const viewer = await newUser({ isGuest: true });
    const fork = (await forkSharedConversation({ token: s.token!, userId: viewer.id }))!;
    expect(fork).toMatchObject({ userId: viewer.id, systemPrompt: null, title: "Trees", shareToken: null });
    const p = await getActivePathWithSiblings({ conversationId: fork.id, userId: viewer.id });
    expect(p.map((m) => m.content)).toEqual(["shared question", "re: shared question"]);
    await revokeShare({ conversationId: conv.id, userId: user.id });
    expect(await forkSharedConversation({ token: s.token!, userId: viewer.id })).toBeNull();
  });
});
