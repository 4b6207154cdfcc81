// The stream lifecycle of one reply through the gateway pipeline, against the real inference
// simulator and a real database (PGlite, or PostgreSQL when DATABASE_URL is set).
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, readUiStream, startSimulator, waitFor } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  sim = await startSimulator({ UPSTREAM_STALL_MS: "800", SSE_HEARTBEAT_MS: "100", CHECKPOINT_MS: "100" });
});
afterAll(async () => {
  await sim?.close();
});

async function gateway() {
  const [{ startReply }, { uiMessageStream }, messages, { getDb }, schema] = await Promise.all([
    import("../support/turns"),
    import("../support/turns"),
    import("@/db/queries/messages"),
    import("@/db"),
    import("@/db/schema"),
  ]);
  return { startReply, uiMessageStream, ...messages, getDb, schema };
}

async function send(text: string, model = "gpt-4o", conversationId = randomUUID()) {
  const g = await gateway();
  const user = await newUser();
  const { run, userMessageId } = await g.startReply(user, { conversationId, model, message: { id: randomUUID(), text } });
  return { g, user, run, userMessageId, conversationId };
}

async function finished(g: Awaited<ReturnType<typeof gateway>>, id: string, userId: string) {
  return waitFor(async () => {
    const m = await g.getMessageById({ id, userId });
    return m?.finishReason ? m : null;
  });
}

describe("a reply", () => {
  it("streams token by token, then is saved with usage, model, replica and TTFT", async () => {
    const { g, user, run, userMessageId } = await send("Tell me about databases");
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    const types = stream.events.map((e) => e.type);
    expect(types[0]).toBe("start");
    expect(stream.events[0]).toMatchObject({ messageId: run.id });
    expect(types.filter((t) => t === "text-delta").length).toBeGreaterThan(3);
    expect(types.slice(-1)[0]).toBe("finish");
    expect(stream.done).toBe(true);

    const saved = await finished(g, run.id, user.id);
    expect(saved).toMatchObject({ role: "assistant", finishReason: "stop", content: stream.text, model: "gpt-4o", replica: sim.url });
    expect(saved.ttftMs).toBeGreaterThanOrEqual(0);
    expect(saved.tokenCount?.completion).toBeGreaterThan(0);
    expect((await g.getMessageById({ id: userMessageId, userId: user.id }))?.content).toBe("Tell me about databases");

    const db = await g.getDb();
    const usage = await waitFor(async () => (await db.select().from(g.schema.usageEvents).where(eq(g.schema.usageEvents.messageId, run.id)))[0]);
    expect(usage).toMatchObject({ userId: user.id, model: "gpt-4o", pool: "gpt-4o-main", finishReason: "stop" });
    expect(usage.promptTokens).toBeGreaterThan(0);
    expect(Number(usage.costUsd)).toBeGreaterThan(0);
  });

  it("sends the system prompt and the active path upstream (echo)", async () => {
    const { g, run, userMessageId } = await send("what do you see?", "sim-echo");
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    const echoed = JSON.parse(stream.text) as { messages: { role: string; content: string }[] };
    expect(echoed.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(echoed.messages[1].content).toBe("what do you see?");
    expect(echoed.messages[0].content).toMatch(/Current date: \d{4}-\d{2}-\d{2}/);
  });

  it("keeps generating and is saved whole when the client detaches", async () => {
    const { g, user, run, userMessageId } = await send("A long answer please", "gpt-4");
    const partial = await readUiStream(g.uiMessageStream(run, userMessageId), (r) => r.text.length > 5);
    expect(partial.done).toBe(false);
    const saved = await finished(g, run.id, user.id);
    expect(saved.finishReason).toBe("stop");
    expect(saved.content.length).toBeGreaterThan(partial.text.length);
    expect(saved.content.startsWith(partial.text)).toBe(true);
  });

  it("is checkpointed to the database while it streams", async () => {
    const { g, user, run } = await send("Checkpoint me", "gpt-4");
    const checkpointed = await waitFor(async () => {
      const m = await g.getMessageById({ id: run.id, userId: user.id });
      return m && m.finishReason === null && m.content.length > 0 ? m : null;
    });
    expect(run.content.startsWith(checkpointed.content)).toBe(true);
    run.stop();
  });

  it("stop aborts the upstream sequence and keeps the partial reply as aborted", async () => {
    type SimRequest = { id: string; model: string; status: string; completion_tokens: number };
    const simRequests = async () => ((await (await fetch(`${sim.url}/sim/stats`)).json()) as { requests: SimRequest[] }).requests;
    const before = new Set((await simRequests()).map((r) => r.id));
    const { g, user, run, userMessageId } = await send("Write an essay", "gpt-4");
    const stream = readUiStream(g.uiMessageStream(run, userMessageId));
    await waitFor(async () => run.content.length > 10);
    // This reply's own sequence in the simulator: new since the send, and streaming gpt-4's upstream model.
    const ours = (await simRequests()).filter((r) => !before.has(r.id) && r.model === run.upstreamModel && r.status === "running");
    expect(ours).toHaveLength(1);
    run.stop();
    const read = await stream;
    expect(read.events.find((e) => e.type === "message-metadata")).toMatchObject({ messageMetadata: { finishReason: "aborted" } });
    const saved = await finished(g, run.id, user.id);
    expect(saved.finishReason).toBe("aborted");
    expect(saved.content.length).toBeGreaterThan(10);
    const record = await waitFor(async () => {
      const r = (await simRequests()).find((x) => x.id === ours[0].id);
      return r && r.status !== "running" ? r : null;
    });
    expect(record.status).toBe("aborted");
  });
});

describe("an upstream failure keeps the user message and the partial reply as error", () => {
  const cases: [string, string, RegExp][] = [
    ["an error frame with an integer code", "[[sim:fail_after=4]]", /failed mid-reply\. Reference: /],
    ["an error frame with a string code", "[[sim:fail_after=4;error_code=string]]", /failed mid-reply\. Reference: /],
    ["a reset connection", "[[sim:reset_after=4]]", /connection to the model server broke\. Reference: /],
    ["an end without finish_reason", "[[sim:no_finish=1]]", /ended unexpectedly/],
    ["an error status before the first token", "[[sim:status=503]]", /answered with an error\. Reference: /],
    ["a stall past the timeout", "[[sim:stall_after=3]]", /stopped responding/],
  ];
  it.each(cases)("%s", async (_name, directive, message) => {
    const { g, user, run, userMessageId } = await send(`Fail please ${directive}`, "gpt-4o");
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    const error = stream.events.find((e) => e.type === "error");
    expect(String(error?.errorText)).toMatch(message);
    // Nothing of the upstream's own words or address reaches the user: a generic message and the reply id.
    expect(String(error?.errorText)).not.toMatch(/127\.0\.0\.1|503|ECONN|sim:|upstream error/i);
    if (/Reference/.test(String(error?.errorText))) expect(String(error?.errorText)).toContain(run.id);
    expect(stream.events.some((e) => e.type === "finish")).toBe(false);
    const saved = await finished(g, run.id, user.id);
    expect(saved.finishReason).toBe("error");
    expect(saved.error).toMatch(message);
    expect(saved.content).toBe(stream.text);
    expect((await g.getMessageById({ id: userMessageId, userId: user.id }))?.content).toContain("Fail please");
  });

  it("sends heartbeats while the model is silent", async () => {
    const { g, run, userMessageId } = await send("Slow start [[sim:slow_first_token_ms=500]]", "gpt-4o");
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    expect(stream.comments).toBeGreaterThanOrEqual(2);
    expect(stream.events.slice(-1)[0].type).toBe("finish");
  });
});

describe("titles", () => {
  it("names a new conversation from its first message, then by the utility model in the background", async () => {
    const { g, user, run, conversationId } = await send("plan a trip to Lisbon in spring, please!", "gpt-4o");
    const { getConversationById, renameConversation } = await import("@/db/queries/conversations");
    const titled = await waitFor(async () => {
      const c = await getConversationById({ id: conversationId, userId: user.id });
      return c?.title === "Plan a trip to Lisbon in" ? c : null; // the simulator's title for it
    });
    expect(titled.title).toBe("Plan a trip to Lisbon in");
    await finished(g, run.id, user.id);

    // A title the user set is never replaced by a late automatic one.
    const { replaceConversationTitle } = await import("@/db/queries/conversations");
    await renameConversation({ id: conversationId, userId: user.id, title: "My trip" });
    expect(await replaceConversationTitle({ id: conversationId, userId: user.id, title: "Late title", expected: "plan a trip to Lisbon in spring, please!" })).toBe(false);
    expect((await getConversationById({ id: conversationId, userId: user.id }))?.title).toBe("My trip");
  });

  it("cleans what a model wraps a title in", async () => {
    const { cleanTitle } = await import("@/lib/gateway/auto-title");
    expect(cleanTitle('Title: "**Trip to Lisbon**".\nMore text')).toBe("Trip to Lisbon");
    expect(cleanTitle("  \n ")).toBeNull();
  });
});

describe("turn rules", () => {
  it("refuses a second message while a reply is being written, and an unknown model", async () => {
    const { g, user, run, conversationId } = await send("first", "gpt-4");
    await expect(
      g.startReply(user, { conversationId, model: "gpt-4", message: { id: randomUUID(), text: "second" } }),
    ).rejects.toMatchObject({ status: 409, code: "reply_in_progress" });
    run.stop();
    await expect(
      g.startReply(user, { conversationId: randomUUID(), model: "no-such-model", message: { id: randomUUID(), text: "x" } }),
    ).rejects.toMatchObject({ status: 400, code: "model_not_found" });
  });

  it("answers 404 for a conversation id owned by someone else, and writes nothing into it", async () => {
    const { g, run, conversationId, user: owner } = await send("mine", "gpt-3.5-turbo");
    await finished(g, run.id, owner.id);
    const intruder = await newUser();
    await expect(
      g.startReply(intruder, { conversationId, model: "gpt-4o", message: { id: randomUUID(), text: "hijack" } }),
    ).rejects.toMatchObject({ status: 404 });
    const path = await g.getActivePath({ conversationId, userId: owner.id });
    expect(path.map((m) => m.content)).not.toContain("hijack");
  });

  it("regenerates a reply as a sibling under the same user message", async () => {
    const { g, user, run, userMessageId, conversationId } = await send("regenerate me", "sim-echo");
    await finished(g, run.id, user.id);
    const again = await g.startReply(user, { conversationId, model: "sim-echo", regenerateFrom: userMessageId });
    await readUiStream(g.uiMessageStream(again.run, again.userMessageId));
    const second = await finished(g, again.run.id, user.id);
    expect(second.parentId).toBe(userMessageId);
    const path = await g.getActivePath({ conversationId, userId: user.id });
    expect(path.map((m) => m.id)).toEqual([userMessageId, again.run.id]);
  });
});
