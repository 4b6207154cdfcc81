// The end of a reply: message and usage event in one transaction, applied once.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startTurn } from "../queries/messages";
import { finishReplyWithUsage } from "../queries/usage";
import { newConversation, newUser, rowsOf } from "./helpers";

async function placeholder() {
  const user = await newUser();
  const conv = await newConversation(user.id);
  const turn = await startTurn({ userId: user.id, conversationId: conv.id, model: "sim", parentId: null, user: { content: "hi" }, expectedLeafId: null });
  return { user, conv, id: turn!.assistant.id };
}

const usageOf = (user: { id: string }, conv: { id: string }, id: string) => ({
  userId: user.id,
  conversationId: conv.id,
  messageId: id,
  model: "sim",
  pool: "p",
  replica: "r",
  promptTokens: 10,
  completionTokens: 5,
  latencyMs: 100,
  ttftMs: 20,
  costUsd: "0.000100",
  finishReason: "stop" as const,
});

describe("finishReplyWithUsage", () => {
  it("saves the final text and one usage event; a second finish changes nothing", async () => {
    const { user, conv, id } = await placeholder();
    const message = { id, content: "hello there", finishReason: "stop" as const, model: "sim" };
    expect(await finishReplyWithUsage({ message, usage: usageOf(user, conv, id) })).toBe(true);
    expect(await finishReplyWithUsage({ message: { ...message, content: "other", finishReason: "error" }, usage: usageOf(user, conv, id) })).toBe(false);
    const [m] = await rowsOf<{ content: string; finish_reason: string }>(sql`select content, finish_reason from messages where id = ${id}`);
    expect(m).toEqual({ content: "hello there", finish_reason: "stop" });
    const events = await rowsOf<{ n: number }>(sql`select count(*)::int as n from usage_events where message_id = ${id}`);
    expect(events[0].n).toBe(1);
  });

  it("rolls the message back when the usage event cannot be written", async () => {
    const { user, conv, id } = await placeholder();
    const bad = { ...usageOf(user, conv, id), conversationId: "not-a-uuid" }; // the insert fails (invalid uuid)
    await expect(finishReplyWithUsage({ message: { id, content: "x", finishReason: "stop", model: "sim" }, usage: bad })).rejects.toThrow();
    const [m] = await rowsOf<{ finish_reason: string | null }>(sql`select finish_reason from messages where id = ${id}`);
    expect(m.finish_reason).toBeNull();
  });
});
