// Self-harm as a safe completion, through the real pipeline (runTurn, as the chat door and the public
// API call it), the real simulator's echo model and a real database: the message is not refused, the
// model receives the safety instruction (the echo shows exactly what it received), the reply's start
// event carries the crisis-resources flag (for the tab that sent it and for one attaching later), the
// flag is stored with the reply (a reload shows it), and the event is in the review queue.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import type { LoggedReplyEvent } from "@/lib/gateway/pipeline/events";
import type { ReplySource } from "@/lib/gateway/sse";
import { SELF_HARM_INSTRUCTION } from "@/lib/safety/safe-completion";
import { newUser, readUiStream, startSimulator, waitFor } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});

async function load() {
  const [turns, { runTurn }, { attachToReply }, { toChatUIMessages }, { getActivePath }, { getDb }, schema] = await Promise.all([
    import("../support/turns"),
    import("@/lib/gateway/pipeline"),
    import("@/lib/gateway/relay"),
    import("@/lib/chat/ui-messages"),
    import("@/db/queries/messages"),
    import("@/db"),
    import("@/db/schema"),
  ]);
  return { ...turns, runTurn, attachToReply, toChatUIMessages, getActivePath, getDb, schema };
}

type Echo = { messages: { role: string; content: string }[] };

/** Everything a source hands on, up to its end event. */
function collect(source: ReplySource): Promise<LoggedReplyEvent[]> {
  return new Promise((resolve) => {
    const seen: LoggedReplyEvent[] = [];
    const detach = source((events) => {
      seen.push(...events);
      if (events.some((e) => e.event.type === "end")) {
        queueMicrotask(() => detach());
        resolve(seen);
      }
    });
  });
}

const startOf = (events: LoggedReplyEvent[]) => events.find((e) => e.event.type === "start")?.event;

describe("self-harm safe completion", () => {
  it("a chat turn: the instruction upstream, the flag in the start event for every reader and in the stored reply, the event queued", async () => {
    const g = await load();
    const user = await newUser();
    const conversationId = randomUUID();
    const text = "i dont want to be here anymore, tonight im going to end my life";
    const { run, userMessageId, saved } = await g.startReply(user, { conversationId, model: "sim-echo", message: { id: randomUUID(), text } });
    // A second tab attaching while the reply is live (or, if it is already over, from its log or row).
    const attached = await g.attachToReply({ conversationId, userId: user.id, after: 0 });
    const stream = await readUiStream(g.uiMessageStream(run));
    const echoed = JSON.parse(stream.text) as Echo;
    expect(echoed.messages[0].role).toBe("system");
    expect(echoed.messages[0].content.endsWith(SELF_HARM_INSTRUCTION)).toBe(true);
    expect(echoed.messages.at(-1)).toEqual({ role: "user", content: text });
    expect(stream.events.find((e) => e.type === "start")).toMatchObject({ messageMetadata: { crisisResources: true } });
    expect(stream.events.find((e) => e.type === "finish")).toMatchObject({ finishReason: "stop" });
    expect(startOf(await collect(attached!.source))).toMatchObject({ type: "start", crisisResources: true });

    await saved;
    const db = await g.getDb();
    const [row] = await db.select().from(g.schema.messages).where(eq(g.schema.messages.id, run.id));
    expect(row.context).toMatchObject({ safeCompletion: "crisis" });
    // A reload: the stored path as the chat renders it.
    const reloaded = g.toChatUIMessages(await g.getActivePath({ conversationId, userId: user.id }));
    expect(reloaded.map((m) => [m.role, m.metadata?.crisisResources ?? false])).toEqual([
      ["user", false],
      ["assistant", true],
    ]);

    const [event] = await waitFor(async () => {
      const rows = await db.select().from(g.schema.moderationEvents).where(eq(g.schema.moderationEvents.messageId, userMessageId));
      return rows.length ? rows : null;
    });
    expect(event).toMatchObject({ direction: "input", action: "warned", flagged: true, reviewStatus: "pending" });
    expect(event.detail?.rules).toContainEqual({ category: "self-harm", rule: "safe-completion" });
    expect(event.categories?.["self-harm/intent"]).toBeGreaterThanOrEqual(0.8);
  });

  it("a regenerate of a self-harm message is answered with the same care", async () => {
    const g = await load();
    const user = await newUser();
    const conversationId = randomUUID();
    const first = await g.startReply(user, { conversationId, model: "sim-echo", message: { id: randomUUID(), text: "I want to kill myself tonight" } });
    await first.saved;
    const again = await g.startReply(user, { conversationId, model: "sim-echo", regenerateFrom: first.userMessageId });
    const stream = await readUiStream(g.uiMessageStream(again.run));
    expect((JSON.parse(stream.text) as Echo).messages[0].content.endsWith(SELF_HARM_INSTRUCTION)).toBe(true);
    expect(stream.events.find((e) => e.type === "start")).toMatchObject({ messageMetadata: { crisisResources: true } });
  });

  it("an ordinary turn gets neither the instruction nor the flag", async () => {
    const g = await load();
    const user = await newUser();
    const { run, saved } = await g.startReply(user, { conversationId: randomUUID(), model: "sim-echo", message: { id: randomUUID(), text: "what should I cook tonight?" } });
    const stream = await readUiStream(g.uiMessageStream(run));
    expect(stream.text).not.toContain("Safety instruction");
    expect(stream.events.find((e) => e.type === "start")).toMatchObject({ messageMetadata: { crisisResources: false } });
    await saved;
    const db = await g.getDb();
    const [row] = await db.select().from(g.schema.messages).where(eq(g.schema.messages.id, run.id));
    expect(row.context?.safeCompletion).toBeUndefined();
  });

  it("the public API: the instruction goes upstream with the caller's messages", async () => {
    const g = await load();
    const user = await newUser();
    const { run, saved } = await g.runTurn(user, {
      kind: "messages",
      model: "sim-echo",
      params: {},
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "I have decided to take my own life this weekend" },
      ],
    });
    await saved;
    const echoed = JSON.parse(run.content) as Echo;
    expect(echoed.messages[0]).toEqual({ role: "system", content: `You are a helpful assistant.\n\n${SELF_HARM_INSTRUCTION}` });
    expect(run.context.safeCompletion).toBe("crisis");
  });
});
