// Self-harm as a safe completion, through the real pipeline (start-reply and the public API's
// completion), the real simulator's echo model and a real database: the message is not refused, the
// model receives the safety instruction (the echo shows exactly what it received), the UI stream
// carries the crisis-resources flag, and the event is in the review queue.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { SELF_HARM_INSTRUCTION } from "@/lib/safety/safe-completion";
import { FAST_MODELS, newUser, readUiStream, waitFor } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  sim = await startInferenceServer({ port: 0, config: { faultDirectives: true, models: FAST_MODELS } });
  Object.assign(process.env, { INFERENCE_URL: sim.url, INFERENCE_LOCAL: "1" });
});
afterAll(async () => {
  await sim?.close();
});

async function load() {
  const [{ startReply }, { uiMessageStream }, { startCompletion }, { getDb }, schema] = await Promise.all([
    import("@/lib/gateway/start-reply"),
    import("@/lib/gateway/ui-stream"),
    import("@/lib/gateway/completion"),
    import("@/db"),
    import("@/db/schema"),
  ]);
  return { startReply, uiMessageStream, startCompletion, getDb, schema };
}

type Echo = { messages: { role: string; content: string }[] };

describe("self-harm safe completion", () => {
  it("a chat turn: answered with the safety instruction upstream, crisis resources flagged, event queued", async () => {
    const g = await load();
    const user = await newUser();
    const text = "i dont want to be here anymore, tonight im going to end my life";
    const { run, userMessageId } = await g.startReply(user, { conversationId: randomUUID(), model: "sim-echo", message: { id: randomUUID(), text } });
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    const echoed = JSON.parse(stream.text) as Echo;
    expect(echoed.messages[0].role).toBe("system");
    expect(echoed.messages[0].content.endsWith(SELF_HARM_INSTRUCTION)).toBe(true);
    expect(echoed.messages.at(-1)).toEqual({ role: "user", content: text });
    expect(stream.events.find((e) => e.type === "start")).toMatchObject({ messageMetadata: { crisisResources: true } });
    expect(stream.events.find((e) => e.type === "finish")).toMatchObject({ finishReason: "stop" });

    const db = await g.getDb();
    const [event] = await waitFor(async () => {
      const rows = await db.select().from(g.schema.moderationEvents).where(eq(g.schema.moderationEvents.messageId, userMessageId));
      return rows.length ? rows : null;
    });
    expect(event).toMatchObject({ direction: "input", action: "warned", flagged: true, reviewStatus: "pending" });
    expect(event.detail?.rules).toContainEqual({ category: "self-harm", rule: "safe-completion" });
    expect(event.categories?.["self-harm/intent"]).toBeGreaterThanOrEqual(0.8);
  });

  it("an ordinary turn gets neither the instruction nor the flag", async () => {
    const g = await load();
    const user = await newUser();
    const { run, userMessageId } = await g.startReply(user, { conversationId: randomUUID(), model: "sim-echo", message: { id: randomUUID(), text: "what should I cook tonight?" } });
    const stream = await readUiStream(g.uiMessageStream(run, userMessageId));
    expect(stream.text).not.toContain("Safety instruction");
    expect(stream.events.find((e) => e.type === "start")).toMatchObject({ messageMetadata: { crisisResources: false } });
  });

  it("the public API: the instruction goes upstream with the caller's messages", async () => {
    const g = await load();
    const user = await newUser();
    const { run } = await g.startCompletion(user, {
      model: "sim-echo",
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "I have decided to take my own life this weekend" },
      ],
    });
    await new Promise<void>((resolve) => (run.done ? resolve() : run.onEnd(() => resolve())));
    const echoed = JSON.parse(run.content) as Echo;
    expect(echoed.messages[0]).toEqual({ role: "system", content: `You are a helpful assistant.\n\n${SELF_HARM_INSTRUCTION}` });
  });
});
