import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "../index";
import {
  createConversation,
  deleteConversationById,
  getConversationById,
  listConversationsByUserId,
  renameConversation,
  setConversationTitleIfEmpty,
} from "../queries/conversations";
import { getActivePath, getMessageById, startTurn } from "../queries/messages";
import { conversations } from "../schema";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

/** Gives conversations distinct, known updated_at values (newest = last). */
async function seed(userId: string, n: number) {
  const db = await getDb();
  const base = Date.now() - n * 1000;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await newConversation(userId, `c${i}`);
    await db.update(conversations).set({ updatedAt: new Date(base + i * 1000) }).where(eq(conversations.id, c.id));
    ids.push(c.id);
  }
  return ids.reverse(); // newest first, as listed
}

describe("conversations", () => {
  it("keep the id the app supplies", async () => {
    const user = await newUser();
    const id = randomUUID();
    const c = await createConversation({ id, userId: user.id, model: "gpt-4o", systemPrompt: "Be brief." });
    expect(c).toMatchObject({ id, userId: user.id, model: "gpt-4o", title: null, isArchived: false, currentMessageId: null });
  });

  it("are invisible to other users", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const conv = await newConversation(a.id, "A's");
    const turn = await startTurn({
      userId: a.id,
      conversationId: conv.id,
      model: "m",
      parentId: null,
      user: { content: "secret" },
    });

    expect(await getConversationById({ id: conv.id, userId: b.id })).toBeNull();
    expect(await getActivePath({ conversationId: conv.id, userId: b.id })).toEqual([]);
    expect(await getMessageById({ id: turn!.userMessage!.id, userId: b.id })).toBeNull();
    expect(await startTurn({ userId: b.id, conversationId: conv.id, model: "m", parentId: null, user: { content: "x" } })).toBeNull();
    expect(await renameConversation({ id: conv.id, userId: b.id, title: "mine" })).toBeNull();
    expect(await setConversationTitleIfEmpty({ id: conv.id, userId: b.id, title: "mine" })).toBe(false);
    expect((await listConversationsByUserId({ userId: b.id, limit: 10 })).items).toEqual([]);
    expect(await deleteConversationById({ id: conv.id, userId: b.id })).toBe(false);

    const still = await getConversationById({ id: conv.id, userId: a.id });
    expect(still).toMatchObject({ title: "A's", currentMessageId: turn!.assistant.id });
    expect(await getActivePath({ conversationId: conv.id, userId: a.id })).toHaveLength(2);
  });

  it("treat a malformed id as a miss", async () => {
    const user = await newUser();
    expect(await getConversationById({ id: "nope", userId: user.id })).toBeNull();
    expect(await deleteConversationById({ id: "nope", userId: user.id })).toBe(false);
  });

  it("rename, and take an automatic title only when untitled", async () => {
    const user = await newUser();
    const conv = await newConversation(user.id);
    expect(await setConversationTitleIfEmpty({ id: conv.id, userId: user.id, title: "Auto" })).toBe(true);
    expect(await setConversationTitleIfEmpty({ id: conv.id, userId: user.id, title: "Again" })).toBe(false);
    const renamed = await renameConversation({ id: conv.id, userId: user.id, title: "Mine" });
    expect(renamed?.title).toBe("Mine");
    expect(renamed?.updatedAt.getTime()).toBe(conv.updatedAt.getTime());
  });

  it("delete with their messages", async () => {
    const user = await newUser();
    const conv = await newConversation(user.id);
    const turn = await startTurn({ userId: user.id, conversationId: conv.id, model: "m", parentId: null, user: { content: "hi" } });
    expect(await deleteConversationById({ id: conv.id, userId: user.id })).toBe(true);
    expect(await getConversationById({ id: conv.id, userId: user.id })).toBeNull();
    expect(await getMessageById({ id: turn!.assistant.id, userId: user.id })).toBeNull();
    expect(await deleteConversationById({ id: conv.id, userId: user.id })).toBe(false);
  });
});

describe("listConversationsByUserId", () => {
  it("returns an empty page for a user with none", async () => {
    const user = await newUser();
    expect(await listConversationsByUserId({ userId: user.id, limit: 20 })).toEqual({
      items: [],
      nextCursor: null,
      hasMore: false,
    });
  });

  it("pages newest first and ends exactly at a page boundary", async () => {
    const user = await newUser();
    const ids = await seed(user.id, 6);
    const p1 = await listConversationsByUserId({ userId: user.id, limit: 3 });
    expect(p1.items.map((c) => c.id)).toEqual(ids.slice(0, 3));
    expect(p1.hasMore).toBe(true);
    const p2 = await listConversationsByUserId({ userId: user.id, limit: 3, before: p1.nextCursor! });
    expect(p2.items.map((c) => c.id)).toEqual(ids.slice(3, 6));
    expect(p2).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it("is stable when a newer conversation arrives between pages", async () => {
    const user = await newUser();
    const ids = await seed(user.id, 5);
    const p1 = await listConversationsByUserId({ userId: user.id, limit: 2 });
    await newConversation(user.id, "newest"); // updated_at = now(), newer than all
    const p2 = await listConversationsByUserId({ userId: user.id, limit: 2, before: p1.nextCursor! });
    const p3 = await listConversationsByUserId({ userId: user.id, limit: 2, before: p2.nextCursor! });
    expect([...p1.items, ...p2.items, ...p3.items].map((c) => c.id)).toEqual(ids);
    expect(p3.hasMore).toBe(false);
  });

  it("breaks ties on updated_at by id", async () => {
    const user = await newUser();
    const db = await getDb();
    const same = new Date(Date.now() - 10_000);
    for (let i = 0; i < 5; i++) await newConversation(user.id);
    await db.update(conversations).set({ updatedAt: same }).where(eq(conversations.userId, user.id));
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listConversationsByUserId>> = await listConversationsByUserId({
        userId: user.id,
        limit: 2,
        before,
      });
      seen.push(...page.items.map((c) => c.id));
      before = page.nextCursor;
    } while (before);
    expect(seen).toHaveLength(5);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it("clamps the limit, separates archived, and rejects a forged cursor", async () => {
    const user = await newUser();
    await seed(user.id, 3);
    const db = await getDb();
    const archived = await newConversation(user.id, "old");
    await db.update(conversations).set({ isArchived: sql`true` }).where(eq(conversations.id, archived.id));

    expect((await listConversationsByUserId({ userId: user.id, limit: 0 })).items).toHaveLength(1);
    expect((await listConversationsByUserId({ userId: user.id, limit: 1000 })).items).toHaveLength(3);
    const arch = await listConversationsByUserId({ userId: user.id, limit: 10, archived: true });
    expect(arch.items.map((c) => c.id)).toEqual([archived.id]);
    await expect(listConversationsByUserId({ userId: user.id, limit: 10, before: "garbage" })).rejects.toMatchObject({
      code: "invalid_cursor",
    });
  });
});
