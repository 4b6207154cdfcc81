import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "../index";
import { updateConversation } from "../queries/conversations";
import { finishAssistantMessage, startTurn } from "../queries/messages";
import { searchConversationsByUserId, toPrefixQuery } from "../queries/search";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

async function exchange(userId: string, conversationId: string, question: string, answer: string) {
  const turn = await startTurn({ userId, conversationId, model: "sim", parentId: null, user: { content: question } });
  await finishAssistantMessage({ id: turn!.assistant.id, content: answer, finishReason: "stop", model: "sim" });
  return turn!;
}

describe("toPrefixQuery", () => {
  it("keeps only letters and digits, prefix-matching every word", () => {
    expect(toPrefixQuery("Postgr REPL")).toBe("postgr:* & repl:*");
    expect(toPrefixQuery("a' | b & !c:*")).toBe("a:* & b:* & c:*");
    expect(toPrefixQuery("  ' & | ")).toBeNull();
  });
});

describe("searchConversationsByUserId", () => {
  it("finds a word deep inside an old chat, by prefix and by stem, with a highlighted, escaped snippet", async () => {
    const user = await newUser();
    const conv = await newConversation(user.id, "Gardening");
    await exchange(user.id, conv.id, "How do I water tomatoes?", "Water them deeply.");
    const deep = await exchange(user.id, conv.id, "Tell me about <b>xylophones</b> & running", "They are percussion instruments.");
    const other = await newConversation(user.id, "Cooking");
    await exchange(user.id, other.id, "Boil pasta", "Salt the water.");

    const hits = await searchConversationsByUserId({ userId: user.id, query: "xyloph" });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversationId: conv.id, title: "Gardening", messageId: deep.userMessage!.id });
    expect(hits[0].snippet).toContain("<mark>xylophones</mark>");
    expect(hits[0].snippet).toContain("&#38;"); // ts_headline drops tags; what is left is escaped
    expect(hits[0].snippet).not.toContain("<b>");

    const stem = await searchConversationsByUserId({ userId: user.id, query: "runs" });
    expect(stem.map((h) => h.conversationId)).toEqual([conv.id]);
    const both = await searchConversationsByUserId({ userId: user.id, query: "water" });
    expect(new Set(both.map((h) => h.conversationId))).toEqual(new Set([conv.id, other.id]));
  });

  it("matches titles, never another user's chats, and leaves archived chats out", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const mine = await newConversation(user.id, "Quarterly zebra report");
    const theirs = await newConversation(stranger.id, "zebra secrets");
    await exchange(stranger.id, theirs.id, "zebra zebra", "zebra");
    const titleHit = await searchConversationsByUserId({ userId: user.id, query: "zebr" });
    expect(titleHit.map((h) => h.conversationId)).toEqual([mine.id]);
    expect(titleHit[0].messageId).toBeNull();
    expect(titleHit[0].snippet).toContain("<mark>zebra</mark>");
    await updateConversation({ id: mine.id, userId: user.id, patch: { isArchived: true } });
    expect(await searchConversationsByUserId({ userId: user.id, query: "zebra" })).toEqual([]);
  });
});
