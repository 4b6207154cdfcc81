// The end of a reply: message and usage event in one statement, applied once.
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

  it("stores every field of the message and of its usage event", async () => {
    const { user, conv, id } = await placeholder();
    const message = {
      id,
      content: "hello",
      finishReason: "length" as const,
      error: null,
      model: "sim-b",
      replica: "http://r1",
      experiment: "exp",
      variant: "cool",
      tokenCount: { prompt: 10, completion: 5 },
      contentTokens: { o200k_base: 2, cl100k_base: 2 },
      context: { omitted: 1, summarized: false, promptTokens: 10 },
      ttftMs: 20,
      latencyMs: 100,
    };
    const usage = { ...usageOf(user, conv, id), experiment: "exp", variant: "cool", estimatedPromptTokens: 11, finishReason: "length" as const };
    expect(await finishReplyWithUsage({ message, usage })).toBe(true);
    const [m] = await rowsOf<Record<string, unknown>>(
      sql`select content, finish_reason, error, model, replica, experiment, variant, token_count, content_tokens, context, ttft_ms, latency_ms from messages where id = ${id}`,
    );
    expect(m).toEqual({
      content: "hello",
      finish_reason: "length",
      error: null,
      model: "sim-b",
      replica: "http://r1",
      experiment: "exp",
      variant: "cool",
      token_count: message.tokenCount,
      content_tokens: message.contentTokens,
      context: message.context,
      ttft_ms: 20,
      latency_ms: 100,
    });
    const [e] = await rowsOf<Record<string, unknown>>(
      sql`select user_id, conversation_id, model, pool, replica, experiment, variant, prompt_tokens, completion_tokens,
                 estimated_prompt_tokens, latency_ms, ttft_ms, cost_usd::text as cost, finish_reason from usage_events where message_id = ${id}`,
    );
    expect(e).toEqual({
      user_id: user.id,
      conversation_id: conv.id,
      model: "sim",
      pool: "p",
      replica: "r",
      experiment: "exp",
      variant: "cool",
      prompt_tokens: 10,
      completion_tokens: 5,
      estimated_prompt_tokens: 11,
      latency_ms: 100,
      ttft_ms: 20,
      cost: "0.000100",
      finish_reason: "length",
    });
  });

  it("rolls the message back when the usage event cannot be written", async () => {
    const { user, conv, id } = await placeholder();
    const bad = { ...usageOf(user, conv, id), conversationId: "not-a-uuid" }; // the insert fails (invalid uuid)
    await expect(finishReplyWithUsage({ message: { id, content: "x", finishReason: "stop", model: "sim" }, usage: bad })).rejects.toThrow();
    const [m] = await rowsOf<{ finish_reason: string | null }>(sql`select finish_reason from messages where id = ${id}`);
    expect(m.finish_reason).toBeNull();
  });
});
