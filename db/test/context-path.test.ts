import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "../index";
import { finishAssistantMessage, getActivePath, getContextPath, startTurn } from "../queries/messages";
import { newConversation, newUser } from "./helpers";

afterAll(closeDb);

/** A chain of `n` exchanges; each message stored as `tokens` tokens (+4 framing in the walk). */
async function chainOf(n: number, tokens: number) {
  const user = await newUser();
  const conv = await newConversation(user.id);
  for (let i = 0; i < n; i++) {
    const turn = await startTurn({
      userId: user.id,
      conversationId: conv.id,
      model: "sim",
      parentId: null,
      user: { content: `q${i}`, contentTokens: { o200k_base: tokens } },
    });
    await finishAssistantMessage({ id: turn!.assistant.id, content: `a${i}`, finishReason: "stop", model: "sim", contentTokens: { o200k_base: tokens } });
  }
  return { user, conv };
}

describe("getContextPath", () => {
  it("walks up from the leaf only while the running token count is within the budget", async () => {
    const { user, conv } = await chainOf(10, 6); // 20 messages of 10 tokens each in the walk
    const full = await getActivePath({ conversationId: conv.id, userId: user.id });
    expect(full).toHaveLength(20);
    const part = await getContextPath({ conversationId: conv.id, userId: user.id, encoding: "o200k_base", budgetTokens: 45 });
    // 10, 20, 30, 40 are within 45; the walk takes one more row (50), the first over the budget.
    expect(part.map((m) => m.id)).toEqual(full.slice(-5).map((m) => m.id));
    expect(part[0].sequenceNum).toBe(15);
  });

  it("goes on up to a summary's last message, and not beyond", async () => {
    const { user, conv } = await chainOf(10, 6);
    const full = await getActivePath({ conversationId: conv.id, userId: user.id });
    const part = await getContextPath({
      conversationId: conv.id,
      userId: user.id,
      encoding: "o200k_base",
      budgetTokens: 45,
      untilMessageId: full[7].id,
    });
    expect(part.map((m) => m.sequenceNum)).toEqual(full.slice(7).map((m) => m.sequenceNum));
  });

  it("is owner-scoped and estimates messages without stored counts", async () => {
    const { user, conv } = await chainOf(3, 6);
    const stranger = await newUser();
    expect(await getContextPath({ conversationId: conv.id, userId: stranger.id, encoding: "o200k_base", budgetTokens: 1_000 })).toEqual([]);
    const legacy = await startTurn({ userId: user.id, conversationId: conv.id, model: "sim", parentId: null, user: { content: "x".repeat(300) } });
    await finishAssistantMessage({ id: legacy!.assistant.id, content: "ok", finishReason: "stop", model: "sim" });
    // "ok" ≈ 0 + 4, the 300 chars ≈ 100 + 4: a budget of 50 stops right after the long message.
    const part = await getContextPath({ conversationId: conv.id, userId: user.id, encoding: "cl100k_base", budgetTokens: 50 });
    expect(part.map((m) => m.content)).toEqual(["x".repeat(300), "ok"]);
  });
});
