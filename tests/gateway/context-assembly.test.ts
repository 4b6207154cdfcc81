// Context assembly through the gateway, checked with the simulator's echo mode: exactly what was sent
// upstream. Uses a catalog with a small context window so history overflows quickly.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, readUiStream, startSimulator, waitFor } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  sim = await startSimulator();
  const echoModel = (id: string, contextWindow: number) => ({
    id,
    label: id,
    contextWindow,
    maxOutputTokens: 4000,
    reservedOutputTokens: 100,
    encoding: "o200k_base",
    pricing: { inputPerM: 1, outputPerM: 1 },
    simulated: true,
    pools: [{ name: id, upstreamModel: "sim-echo", replicas: [{ url: sim.url }] }],
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "models.json");
  fs.writeFileSync(
    file,
    JSON.stringify({ defaultModel: "echo", utilityModel: "summarizer", models: [echoModel("echo", 32_000), echoModel("tiny", 900), echoModel("summarizer", 32_000)] }),
  );
  process.env.MODELS_CONFIG = file;
});
afterAll(async () => {
  await sim?.close();
});

async function deps() {
  const [{ startReply }, { uiMessageStream }, messages, conversations, users, { getDb }, schema, { countForEncodings }] = await Promise.all([
    import("../support/turns"),
    import("../support/turns"),
    import("@/db/queries/messages"),
    import("@/db/queries/conversations"),
    import("@/db/queries/users"),
    import("@/db"),
    import("@/db/schema"),
    import("@/lib/tokens/count"),
  ]);
  return { startReply, uiMessageStream, ...messages, ...conversations, ...users, getDb, schema, countForEncodings };
}

type Echo = { messages: { role: string; content: string }[]; params: { max_tokens: number } };

async function ask(user: Awaited<ReturnType<typeof newUser>>, conversationId: string, text: string, model = "echo") {
  const d = await deps();
  const { run, userMessageId } = await d.startReply(user, { conversationId, model, message: { id: randomUUID(), text } });
  const stream = await readUiStream(d.uiMessageStream(run, userMessageId));
  await waitFor(async () => (await d.getMessageById({ id: run.id, userId: user.id }))?.finishReason);
  return { echo: JSON.parse(stream.text) as Echo, run, stream };
}

/** Writes a finished exchange straight into the conversation (history without echo bloat). */
async function seedExchange(userId: string, conversationId: string, question: string, answer: string) {
  const d = await deps();
  const turn = await d.startTurn({
    userId,
    conversationId,
    model: "tiny",
    parentId: null,
    user: { content: question, contentTokens: await d.countForEncodings(question, ["o200k_base"]) },
  });
  await d.finishAssistantMessage({
    id: turn!.assistant.id,
    content: answer,
    finishReason: "stop",
    model: "tiny",
    contentTokens: await d.countForEncodings(answer, ["o200k_base"]),
  });
}

describe("custom instructions and system prompts", () => {
  it("applies custom instructions when enabled, and the chat's own system prompt", async () => {
    const d = await deps();
    const user = await newUser();
    await d.updateCustomInstructionsByUserId({ userId: user.id, aboutMe: "I grow tomatoes.", responseStyle: "Answer in one line.", enabled: true });
    const conversationId = randomUUID();
    const first = await ask(user, conversationId, "hello");
    const system = first.echo.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("I grow tomatoes.");
    expect(system.content).toContain("Answer in one line.");
    expect(system.content).toMatch(/Current date: \d{4}-\d{2}-\d{2}/);

    await d.updateConversation({ id: conversationId, userId: user.id, patch: { systemPrompt: "You are a pirate." } });
    await d.updateCustomInstructionsByUserId({ userId: user.id, aboutMe: "I grow tomatoes.", responseStyle: "Answer in one line.", enabled: false });
    const second = await ask(user, conversationId, "and now?");
    expect(second.echo.messages[0].content).toContain("You are a pirate.");
    expect(second.echo.messages[0].content).not.toContain("tomatoes");
    expect(second.echo.messages.filter((m) => m.role === "system")).toHaveLength(1);
  });

  it("records our prompt estimate beside the upstream's count, and the token count of each message", async () => {
    const d = await deps();
    const user = await newUser();
    const { run } = await ask(user, randomUUID(), "count my tokens please");
    const db = await d.getDb();
    const usage = await waitFor(async () => (await db.select().from(d.schema.usageEvents).where(eq(d.schema.usageEvents.messageId, run.id)))[0]);
    expect(usage.estimatedPromptTokens).toBeGreaterThan(0);
    expect(usage.promptTokens).toBeGreaterThan(0);
    const saved = await d.getMessageById({ id: run.id, userId: user.id });
    expect(saved?.contentTokens?.o200k_base).toBeGreaterThan(0);
    expect(saved?.context).toMatchObject({ omitted: 0, summarized: false });
    const userMessage = await d.getMessageById({ id: run.userMessageId, userId: user.id });
    expect(userMessage?.contentTokens).toEqual(await d.countForEncodings("count my tokens please", ["o200k_base"]));
  });
});

describe("history over the budget", () => {
  it("leaves out the oldest messages, summarizes them in the background, and sends the summary next time", async () => {
    const d = await deps();
    const user = await newUser();
    const conversationId = randomUUID();
    await d.createConversation({ id: conversationId, userId: user.id, model: "tiny" });
    for (let i = 1; i <= 6; i++) {
      await seedExchange(user.id, conversationId, `Question ${i}: tell me about topic-${i} ${"detail ".repeat(80)}`, `Answer ${i} on topic-${i} ${"words ".repeat(80)}`);
    }
    const first = await ask(user, conversationId, "What did we discuss first?", "tiny");
    const sent = first.echo.messages.map((m) => m.content).join("\n");
    expect(sent).not.toContain("topic-1 ");
    expect(sent).toContain("topic-6");
    expect(first.echo.messages.at(-1)?.content).toBe("What did we discuss first?");
    expect(first.run.context.omitted).toBeGreaterThan(0);
    expect(first.run.context.summarized).toBe(false);
    expect(first.stream.events[0]).toMatchObject({ messageMetadata: { context: { omitted: first.run.context.omitted } } });

    // The summarizer (echo here, so its "summary" quotes what it was given) covers the omitted part.
    const conversation = await waitFor(async () => {
      const c = await d.getConversationById({ id: conversationId, userId: user.id });
      return c?.summary ? c : null;
    });
    expect(conversation.summary).toContain("topic-1");

    const second = await ask(user, conversationId, "And then?", "tiny");
    expect(second.echo.messages[0].role).toBe("system");
    expect(second.echo.messages[1].role).toBe("system");
    expect(second.echo.messages[1].content).toMatch(/^Summary of the earlier part/);
    expect(second.echo.messages[1].content).toContain("topic-1");
    expect(second.run.context.summarized).toBe(true);
  });

  it("refuses a message that alone overflows the window with 413, before saving or sending anything", async () => {
    const d = await deps();
    const user = await newUser();
    const conversationId = randomUUID();
    await ask(user, conversationId, "a small first message", "tiny");
    const before = await d.getActivePath({ conversationId, userId: user.id });
    const stats = async () => ((await (await fetch(`${sim.url}/sim/stats`)).json()) as { completed: number; aborted: number; failed: number; running: number });
    const s0 = await stats();
    await expect(ask(user, conversationId, "word ".repeat(2_000), "tiny")).rejects.toMatchObject({
      status: 413,
      code: "context_length_exceeded",
      message: expect.stringMatching(/Your message is \d+ tokens/),
    });
    expect((await d.getActivePath({ conversationId, userId: user.id })).map((m) => m.id)).toEqual(before.map((m) => m.id));
    const s1 = await stats();
    expect(s1.completed + s1.aborted + s1.failed + s1.running).toBe(s0.completed + s0.aborted + s0.failed + s0.running);
  });
});
